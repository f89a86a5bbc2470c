# Place a copy of the 3x3 pattern at each of its own filled cells (self-similar 9x9).
O = tile_by_own_mask(I)
