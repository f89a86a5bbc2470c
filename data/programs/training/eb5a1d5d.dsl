# Shrink the nested rectangles to one cell per band.
O = downscale_blocks(I)
