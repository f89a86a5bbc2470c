# Fill the enclosed areas with 2 and the open background with 3.
x1 = fill_enclosed_background(I, 2)
O = fill_background(x1, 3)
