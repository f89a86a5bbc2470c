# Repair the black holes of a periodic multiplication-table pattern.
O = periodic_repair(I, 0)
