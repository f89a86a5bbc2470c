# Repair the blanked (0) patches of a periodic wallpaper.
O = periodic_repair(I, 0)
