# Output the largest one-colour shape, cropped.
O = crop_to_largest_object(I, 0)
