# Crop to the smallest rectangle.
O = crop_to_smallest_object(I, 0)
