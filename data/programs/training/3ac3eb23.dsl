# Each top pixel starts a zig-zag down the grid: itself on even rows, its two side neighbours on odd rows.
x1 = overlay(shift_down(shift_left(I)), shift_down(shift_right(I)))
x2 = overlay(I, x1)
x3 = shift_down(shift_down(filled_like(I, 5)))
x4 = overlay(x2, x3)
O = periodic_repair(x4, 5)
