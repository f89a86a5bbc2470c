# Join same-coloured pixel pairs in a row with a line of their colour.
O = connect_aligned(I)
