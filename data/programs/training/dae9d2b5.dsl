# OR of the left and right halves, painted 6.
O = halves_or(I, 0, 6)
