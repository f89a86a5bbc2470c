# Four corner pixels frame a shape: crop inside the corners and paint the shape in the corner colour.
x1 = least_common_nonzero_color(I)
x2 = crop_to_color(I, x1)
x3 = trim_border(x2)
O = recolor_foreground(x3, x1)
