# On the maroon background, blue shapes that enclose a hole turn azure.
x1 = swap_colors(I, 9, 0)
x2 = recolor_objects_with_holes(x1, 8)
O = swap_colors(x2, 0, 9)
