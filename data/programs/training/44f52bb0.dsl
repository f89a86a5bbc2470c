# Output 1 if the grid is left-right symmetric, else 7.
x1 = is_symmetric_lr(I)
O = bool_cell(x1, 1, 7)
