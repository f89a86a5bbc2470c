# Mirror the pattern leftwards, then stack its vertical flip, itself and its flip again (3x tall).
x1 = mirror_concat_left(I)
x2 = mirror_concat_up(x1)
x3 = flip_vertical(x1)
O = concat_vertical(x2, x3)
