# Let the red cells rise until they hit the blue shape.
O = gravity_cells(I, 0)
