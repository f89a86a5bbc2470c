# Two halves split by a grey column: red where both halves are blue.
O = halves_and(I, 0, 2)
