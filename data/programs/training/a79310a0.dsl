# Recolour the azure shape red and move it down one row.
x1 = recolor(I, 8, 2)
O = shift_down(x1)
