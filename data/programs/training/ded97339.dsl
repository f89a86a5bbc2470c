# Join 8-pixels that share a row or column.
O = connect_aligned(I)
