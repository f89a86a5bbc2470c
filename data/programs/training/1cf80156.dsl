# Crop to the single shape.
O = crop_to_content(I)
