# Complete the pattern so it is symmetric under all mirror images.
O = symmetry_repair(I, 0)
