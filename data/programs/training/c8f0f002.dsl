# Recolour 7 to 5.
O = recolor(I, 7, 5)
