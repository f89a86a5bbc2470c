# Colour the empty pockets by size: 1 cell -> 3, 2 cells -> 2, 3 cells -> 1.
x1 = invert_mask(I, 9)
x2 = recolor_objects_of_size(x1, 1, 3)
x3 = recolor_objects_of_size(x2, 2, 2)
x4 = recolor_objects_of_size(x3, 3, 1)
O = overlay(I, x4)
