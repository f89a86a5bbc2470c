# Tile the grid 2x2, then mark the diagonal neighbours of every pixel with azure.
x1 = tile(I, 2, 2)
x2 = mask_or(shift_up(shift_left(x1)), shift_up(shift_right(x1)), 8)
x3 = mask_or(shift_down(shift_left(x1)), shift_down(shift_right(x1)), 8)
x4 = mask_or(x2, x3, 8)
O = overlay(x4, x1)
