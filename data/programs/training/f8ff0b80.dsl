# List the object colours from largest to smallest.
O = palette_column(I, 0)
