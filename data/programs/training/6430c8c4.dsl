# Mark with 3 the cells empty in both the top and bottom parts.
O = halves_nor(I, 1, 3)
