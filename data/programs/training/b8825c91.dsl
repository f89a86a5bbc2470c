# Repair the yellow-masked damage of the symmetric pattern from its mirror images.
O = symmetry_repair(I, 4)
