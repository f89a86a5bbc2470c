# Line up all coloured cells of the 3x3 grid in a single row.
x1 = split_rows_equal(I, 3)
x2 = stack_horizontal(x1)
O = remove_empty_lines(x2)
