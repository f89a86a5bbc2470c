# Crop to the shape and mirror it left-right.
x1 = crop_to_content(I)
O = flip_horizontal(x1)
