# Keep one period of the grid that repeats twice.
O = periodic_tile(I)
