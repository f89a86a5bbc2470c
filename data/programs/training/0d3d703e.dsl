# Fixed colour permutation: swap 3<->4, 1<->5, 2<->6 and 8<->9.
x1 = swap_colors(I, 3, 4)
x2 = swap_colors(x1, 1, 5)
x3 = swap_colors(x2, 2, 6)
O = swap_colors(x3, 8, 9)
