# Rows of a single colour become grey, all other rows black.
x1 = roll_right(I, 1)
x2 = diff_mask(I, x1, 1)
x3 = draw_color_hlines(x2, 1)
O = invert_mask(x3, 5)
