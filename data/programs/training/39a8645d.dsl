# Crop the shape that occurs most often.
x1 = objects_by_color_diag(I)
x2 = object_most_common_shape(x1)
O = object_grid(x2)
