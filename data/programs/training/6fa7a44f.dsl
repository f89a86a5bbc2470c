# Append the upside-down grid below.
O = mirror_concat_down(I)
