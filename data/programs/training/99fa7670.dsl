# Each pixel shoots a line right to the border, then the border column is filled downward until the next line.
x1 = extend_rays(I, 3)
x2 = extend_rays(x1, 1)
x3 = filled_like(I, 1)
x4 = shift_left(x3)
x5 = invert_mask(x4, 1)
x6 = keep_where(x2, x5)
O = overlay(x1, x6)
