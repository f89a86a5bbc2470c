# Append the left-right mirror image on the right.
O = mirror_concat_right(I)
