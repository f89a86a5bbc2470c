# Repair the maroon-masked cells from the pattern's mirror symmetry.
O = symmetry_repair(I, 9)
