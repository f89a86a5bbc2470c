# Move the shape down one row.
O = shift_down(I)
