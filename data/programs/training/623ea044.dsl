# The pixel casts diagonal rays in all four directions.
O = draw_diagonals(I)
