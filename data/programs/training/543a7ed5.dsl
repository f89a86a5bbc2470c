# On background 8, ring every 6-shape with 3 and fill its holes with 4.
x1 = swap_colors(I, 8, 0)
x2 = box_objects(x1, 3)
x3 = fill_object_holes(x2, 4)
O = swap_colors(x3, 0, 8)
