# Continue the vertically periodic blue pattern for three more rows, drawn in red.
x1 = top_half(I)
x2 = filled_like(x1, 5)
x3 = concat_vertical(I, x2)
x4 = periodic_repair(x3, 5)
O = recolor(x4, 1, 2)
