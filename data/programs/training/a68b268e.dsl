# Split at the blue lines into four panels and overlay them, the first panel on top.
x1 = split_by_color_lines(I, 1)
O = overlay_grids_first_on_top(x1)
