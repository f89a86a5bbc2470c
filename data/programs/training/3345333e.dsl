# Remove the occluding rectangle and restore the shape from its mirror symmetry.
x1 = least_common_nonzero_color(I)
O = symmetry_repair(I, x1)
