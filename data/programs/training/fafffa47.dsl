# Red where both the top and the bottom halves are empty.
O = halves_nor(I, 1, 2)
