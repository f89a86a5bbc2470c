# Pixels sit on odd coordinates of a 2-grid; collapse to one cell per 2x2 block and blow each cell up to a 4x4 block.
x1 = shift_up(I)
x2 = shift_left(x1)
x3 = downscale(x2, 2)
O = upscale(x3, 4)
