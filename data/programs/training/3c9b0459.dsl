# Rotate a half turn.
O = rot180(I)
