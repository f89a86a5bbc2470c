# Two halves split by a row: green where exactly one half is filled.
O = halves_xor(I, 1, 3)
