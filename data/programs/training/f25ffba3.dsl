# Mirror the bottom half onto the top half.
O = reflect_bottom_half(I)
