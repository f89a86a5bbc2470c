# Rotate a quarter turn counter-clockwise.
O = rot90(I)
