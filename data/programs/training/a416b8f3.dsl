# Repeat the grid twice side by side.
O = tile(I, 1, 2)
