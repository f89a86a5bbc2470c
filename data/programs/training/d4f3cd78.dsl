# Fill the grey box interior with 8 and let it leak out through the gap to the edge.
x1 = fill_object_boxes(I, 8)
x2 = extend_color_rays(x1, 8, 0)
x3 = extend_color_rays(x1, 8, 1)
x4 = extend_color_rays(x1, 8, 2)
x5 = extend_color_rays(x1, 8, 3)
x6 = overlay(x2, x3)
x7 = overlay(x6, x4)
O = overlay(x7, x5)
