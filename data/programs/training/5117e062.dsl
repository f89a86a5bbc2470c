# Crop to the shape holding the 8 marker and paint the marker with the shape colour.
x1 = objects_multicolor(I)
x2 = object_most_colors(x1)
x3 = crop_to_object(I, x2)
x4 = remove_color(x3, 8)
x5 = most_common_nonzero_color(x4)
O = recolor(x3, 8, x5)
