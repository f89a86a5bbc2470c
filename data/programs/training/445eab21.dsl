# A 2x2 of the colour of the rectangle outline enclosing the largest area.
x1 = fill_holes_own_color(I)
x2 = objects_by_color(x1)
x3 = largest_object(x2)
x4 = object_color(x3)
x5 = pixel_grid(x4)
O = tile(x5, 2, 2)
