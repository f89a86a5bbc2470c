# Repair the black holes of a symmetric periodic wallpaper.
O = symmetry_repair(I, 0)
