# Mirror the grid into a 2x2 arrangement.
O = mirror_tile_2x2(I)
