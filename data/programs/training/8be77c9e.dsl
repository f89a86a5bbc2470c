# Append the top-bottom mirror image of the grid below it.
O = mirror_concat_down(I)
