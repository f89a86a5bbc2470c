# Keep only the pixel whose colour occurs once, framed by a red ring.
x1 = least_common_nonzero_color(I)
x2 = keep_color(I, x1)
O = box_objects(x2, 2)
