# Connect azure pixels on a shared row or column with green lines.
O = connect_color_with(I, 8, 3)
