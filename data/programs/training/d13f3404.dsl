# Put the grid in the top-left of a canvas twice its size and extend every pixel diagonally down-right.
x1 = filled_like(I, 0)
x2 = concat_horizontal(I, x1)
x3 = filled_like(x2, 0)
x4 = concat_vertical(x2, x3)
O = extend_rays(x4, 7)
