# Colour all shapes blue except the one whose shape differs from the others, which turns red.
x1 = objects_by_color_diag(I)
x2 = object_unique_shape(x1)
x3 = recolor_foreground(I, 1)
O = recolor_object(x3, x2, 2)
