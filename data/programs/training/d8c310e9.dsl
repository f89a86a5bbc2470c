# Continue the periodic skyline pattern into the empty columns on the right.
x1 = gravity_cells(I, 0)
x2 = extend_rays(x1, 1)
x3 = invert_mask(x2, 1)
x4 = fill_background(I, 9)
x5 = paint_where(x4, x3, 0)
x6 = periodic_repair(x5, 0)
O = recolor(x6, 9, 0)
