# Crop to the largest one-colour object (noise pixels ignored).
O = crop_to_largest_object(I, 0)
