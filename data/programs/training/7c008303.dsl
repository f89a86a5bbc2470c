# Colour the green 6x6 pattern with the 2x2 colour key, each key cell scaled to a 3x3 block.
x1 = split_by_color_lines(I, 8)
x2 = pick_most_colors(x1)
x3 = pick_most_filled(x1)
x4 = upscale(x2, 3)
O = keep_where(x4, x3)
