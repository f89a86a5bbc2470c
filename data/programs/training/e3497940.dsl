# Fold the right half (beyond the grey spine) onto the left half.
x1 = left_half(I)
x2 = right_half(I)
x3 = flip_horizontal(x2)
O = overlay(x1, x3)
