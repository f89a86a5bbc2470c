# A black cell flanked left and right by blue cells turns red.
x1 = shift_right(I)
x2 = shift_left(I)
x3 = mask_and(x1, x2, 2)
x4 = mask_and_not(x3, I, 2)
O = overlay(I, x4)
