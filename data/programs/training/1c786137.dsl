# Crop to the inside of the rectangular frame (the largest one-colour object).
x1 = crop_to_largest_object(I, 0)
O = trim_border(x1)
