# Crop the 3x3 pattern and place a copy of it at each of its own filled cells.
x1 = crop_to_content(I)
O = tile_by_own_mask(x1)
