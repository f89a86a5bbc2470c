# Crop to the largest frame and paint it in the colour of the dots inside.
x1 = crop_to_largest_object(I, 0)
O = recolor_most_to_least_common(x1)
