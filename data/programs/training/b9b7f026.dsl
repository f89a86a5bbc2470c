# Output, as one cell, the colour of the only rectangle with a hole in it.
x1 = recolor_objects_with_holes(I, 9)
x2 = diff_mask(I, x1, 1)
x3 = keep_where(I, x2)
x4 = most_common_nonzero_color(x3)
O = pixel_grid(x4)
