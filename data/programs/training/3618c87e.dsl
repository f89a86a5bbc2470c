# Each blue bead drops through its grey post into the grey floor below.
x1 = keep_color(I, 1)
x2 = shift_down(shift_down(x1))
x3 = remove_color(I, 1)
O = overlay(x3, x2)
