# Take the shape in the top-left quadrant, recolour it with the divider colour, and mirror it into all four quadrants.
x1 = top_half(I)
x2 = left_half(x1)
x3 = most_common_nonzero_color(I)
x4 = recolor_foreground(x2, x3)
O = mirror_tile_2x2(x4)
