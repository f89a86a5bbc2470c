# Mirror top-bottom.
O = flip_vertical(I)
