# Read the block mosaic (one cell per block between separator lines) and mirror it left-right.
x1 = downscale_blocks(I)
x2 = tile(x1, 2, 2)
x3 = downscale(x2, 2)
x4 = split_by_lines(x3)
x5 = pick_first(x4)
O = flip_horizontal(x5)
