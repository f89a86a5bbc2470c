# Green where both sides of the separator column are empty.
O = halves_nor(I, 0, 3)
