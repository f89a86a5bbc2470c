# Join blue pixels that share a row or column with lines of 8.
O = connect_color_with(I, 1, 8)
