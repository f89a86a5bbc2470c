# Transpose the grid.
O = transpose(I)
