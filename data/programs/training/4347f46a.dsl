# Hollow out each solid rectangle, keeping only its outline.
x1 = mask_and(shift_up(I), shift_down(I), 1)
x2 = mask_and(shift_left(I), shift_right(I), 1)
x3 = mask_and(x1, x2, 1)
x4 = invert_mask(x3, 1)
O = keep_where(I, x4)
