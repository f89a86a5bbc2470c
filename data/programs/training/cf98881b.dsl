# Split at the red lines into three panels and overlay them, the leftmost panel on top.
x1 = split_by_color_lines(I, 2)
O = overlay_grids_first_on_top(x1)
