# Carve both diagonals through the central hole out of the solid grid.
x1 = invert_mask(I, 1)
x2 = draw_diagonals(x1)
O = paint_where(I, x2, 0)
