# Extend the azure stub into a full column and the red stub into a full row; their crossing turns yellow.
x1 = draw_color_vlines(I, 8)
x2 = draw_color_hlines(I, 2)
x3 = keep_color(x1, 8)
x4 = keep_color(x2, 2)
x5 = mask_and(x3, x4, 4)
x6 = overlay(x1, x4)
O = overlay(x6, x5)
