# Crop to the two-colour square and swap its two colours.
x1 = crop_to_content(I)
O = invert_two_colors(x1)
