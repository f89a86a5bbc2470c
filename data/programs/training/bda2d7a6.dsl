# Nested square rings: each ring takes the colour of the ring outside it, the outermost takes the third colour.
x1 = border_color(I)
x2 = trim_border(I)
x3 = border_color(x2)
x4 = trim_border(x2)
x5 = border_color(x4)
x6 = swap_colors(I, x1, x3)
O = swap_colors(x6, x3, x5)
