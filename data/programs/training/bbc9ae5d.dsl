# Grow a staircase: as many rows as half the width, each row one cell longer than the one above.
x1 = left_half(I)
x2 = grid_width(x1)
x3 = tile(I, x2, 1)
O = extend_rays(x3, 7)
