# Shrink the 3x3-block pattern to 3x3 and tile it by its own mask (fractal).
x1 = crop_to_content(I)
x2 = downscale(x1, 3)
O = tile_by_own_mask(x2)
