# One half is an azure stencil, the other a colour map: each colour cell becomes a stencil-shaped block of that colour.
x1 = split_squares(I)
x2 = pick_fewest_colors(x1)
x3 = pick_most_colors(x1)
x4 = grid_width(x3)
x5 = upscale(x3, x4)
x6 = tile(x2, x4, x4)
O = keep_where(x5, x6)
