# Recolour each grey cell with the colour found in column 0 of its row.
x1 = remove_color(I, 5)
x2 = extend_rays(x1, 3)
O = keep_where(x2, I)
