# Crop to the shape marked by a grey (5) cell, dropping the marker.
x1 = objects_multicolor_diag(I)
x2 = object_most_colors(x1)
x3 = crop_to_object(I, x2)
x4 = remove_color(x3, 5)
O = crop_to_content(x4)
