# Blue cells inside the bounding box of the azure patch turn green.
x1 = keep_color(I, 8)
x2 = connect_color_with(x1, 8, 8)
x3 = fill_object_boxes(x2, 8)
x4 = keep_color(I, 1)
x5 = mask_and(x3, x4, 3)
O = overlay(I, x5)
