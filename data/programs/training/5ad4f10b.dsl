# Shrink the big block shape to one cell per block and colour it with the noise colour.
x1 = keep_largest_object(I, 1)
x2 = most_common_nonzero_color(x1)
x3 = remove_color(I, x2)
x4 = most_common_nonzero_color(x3)
x5 = crop_to_content(x1)
x6 = downscale_blocks(x5)
O = recolor_foreground(x6, x4)
