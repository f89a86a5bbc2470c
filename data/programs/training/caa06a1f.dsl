# Extend the periodic pattern over the whole grid (replacing the border-colour filler), shifted one column left.
x1 = border_color(I)
x2 = recolor(I, x1, 0)
x3 = shift_left(x2)
O = periodic_repair(x3, 0)
