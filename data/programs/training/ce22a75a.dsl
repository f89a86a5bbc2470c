# Every grey pixel grows into a 3x3 blue square.
x1 = box_objects(I, 1)
O = recolor_foreground(x1, 1)
