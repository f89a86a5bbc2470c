# Two end pixels of a row grow toward each other, each filling its half; grey in the middle cell.
x1 = extend_rays(I, 3)
x2 = extend_rays(I, 2)
x3 = mask_and(x1, x2, 5)
x4 = dedupe_cols(x3)
x5 = left_half(x1)
x6 = right_half(x2)
x7 = concat_horizontal(x5, x4)
O = concat_horizontal(x7, x6)
