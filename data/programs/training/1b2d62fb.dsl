# Two halves split by a column: azure where both halves are empty.
O = halves_nor(I, 0, 8)
