# Recolour every green object of more than one cell to 8.
x1 = remove_noise(I, 0)
x2 = recolor(x1, 3, 8)
O = overlay(I, x2)
