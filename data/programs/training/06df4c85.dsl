# In a lined grid, join same-coloured cells sharing a row or column with their colour, under the grid lines.
x1 = most_common_nonzero_color(I)
x2 = remove_color(I, x1)
x3 = connect_aligned(x2)
x4 = keep_color(I, x1)
O = overlay(x3, x4)
