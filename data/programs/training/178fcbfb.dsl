# Red pixels extend to full columns; green and blue pixels to full rows drawn on top.
x1 = draw_color_vlines(I, 2)
x2 = draw_color_hlines(x1, 3)
O = draw_color_hlines(x2, 1)
