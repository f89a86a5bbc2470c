# Let every coloured cell fall to the bottom.
O = gravity_cells(I, 1)
