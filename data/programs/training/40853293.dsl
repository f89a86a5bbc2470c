# Join each pair of same-coloured pixels in a row or column with a line (vertical lines on top).
O = connect_aligned(I)
