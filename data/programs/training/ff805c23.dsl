# Recover the blue-masked patch from the grid's mirror symmetry.
O = symmetry_blank_patch(I, 1)
