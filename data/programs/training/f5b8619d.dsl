# Every pixel casts an 8-coloured line through its column, then tile the result 2x2.
x1 = extend_rays(I, 0)
x2 = extend_rays(I, 1)
x3 = overlay(x1, x2)
x4 = recolor_foreground(x3, 8)
x5 = overlay(x4, I)
O = tile(x5, 2, 2)
