# Recolour magenta cells red.
O = recolor(I, 6, 2)
