# Lines cut the grid into quadrants; output the quadrant holding the odd pixel.
x1 = split_by_lines(I)
O = pick_most_colors(x1)
