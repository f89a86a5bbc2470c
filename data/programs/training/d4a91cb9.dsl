# Draw a yellow L path from the 8 down/up its column to the 2's row, then across to the 2.
x1 = draw_color_vlines(I, 8)
x2 = draw_color_hlines(I, 2)
x3 = mask_and(x1, x2, 9)
x4 = recolor_foreground(I, 9)
x5 = overlay(x4, x3)
x6 = connect_color_with(x5, 9, 4)
x7 = recolor(x6, 9, 4)
O = overlay(x7, I)
