# The symmetric mosaic has a black hole; output the patch that symmetry puts there.
O = symmetry_blank_patch(I, 0)
