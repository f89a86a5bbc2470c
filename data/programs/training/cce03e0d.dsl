# Place a copy of the grid in each 3x3 block whose cell is colour 2.
x1 = mask_of_color(I, 2, 1)
x2 = upscale(x1, 3)
x3 = tile(I, 3, 3)
O = keep_where(x3, x2)
