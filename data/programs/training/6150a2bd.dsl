# Rotate the grid a half turn.
O = rot180(I)
