# Swap colours 5 and 8.
O = swap_colors(I, 5, 8)
