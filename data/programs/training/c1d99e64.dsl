# Paint every completely empty row and column with colour 2.
x1 = gravity_cells(I, 2)
x2 = extend_rays(x1, 3)
x3 = invert_mask(x2, 2)
x4 = gravity_cells(I, 0)
x5 = extend_rays(x4, 1)
x6 = invert_mask(x5, 2)
x7 = overlay(I, x3)
O = overlay(x7, x6)
