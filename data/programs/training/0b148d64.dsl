# Crop to the quadrant drawn in the rare colour.
x1 = least_common_nonzero_color(I)
O = crop_to_color(I, x1)
