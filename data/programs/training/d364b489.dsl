# Each blue pixel gets 2 above, 7 left, 6 right and 8 below.
x1 = recolor(shift_up(I), 1, 2)
x2 = recolor(shift_left(I), 1, 7)
x3 = recolor(shift_right(I), 1, 6)
x4 = recolor(shift_down(I), 1, 8)
x5 = overlay(I, x1)
x6 = overlay(x5, x2)
x7 = overlay(x6, x3)
O = overlay(x7, x4)
