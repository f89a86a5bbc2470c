# Mirror left-right.
O = flip_horizontal(I)
