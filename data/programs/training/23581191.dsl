# Each pixel draws its full row and column; where the two colours' lines cross, paint red.
x1 = keep_color(I, 8)
x2 = draw_cross(x1)
x3 = keep_color(I, 7)
x4 = draw_cross(x3)
x5 = mask_and(x2, x4, 2)
x6 = overlay(x2, x4)
O = overlay(x6, x5)
