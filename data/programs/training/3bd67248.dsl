# From the foot of the coloured left column draw a red anti-diagonal up to the top-right corner and a yellow floor to the right.
x1 = shift_up(I)
x2 = mask_and_not(extend_rays(I, 5), extend_rays(x1, 5), 2)
x3 = mask_and_not(extend_rays(I, 3), extend_rays(x1, 3), 4)
x4 = overlay(x2, x3)
O = overlay(x4, I)
