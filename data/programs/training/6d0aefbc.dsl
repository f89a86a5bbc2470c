# Append the left-right mirror image to the right.
O = mirror_concat_right(I)
