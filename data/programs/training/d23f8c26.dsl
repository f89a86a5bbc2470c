# Keep only the middle column: columns that differ from their mirror column somewhere are erased.
x1 = flip_horizontal(I)
x2 = diff_mask(I, x1, 1)
x3 = gravity_cells(x2, 0)
x4 = extend_rays(x3, 1)
x5 = invert_mask(x4, 1)
O = keep_where(I, x5)
