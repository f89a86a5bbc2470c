# Repair the blanked cells of a diagonal periodic pattern.
O = periodic_repair(I, 0)
