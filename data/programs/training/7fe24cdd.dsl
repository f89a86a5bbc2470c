# Tile four quarter-turns of the grid around a centre.
O = rotate_tile_2x2(I)
