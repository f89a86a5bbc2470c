# Of the grey bars, the tallest turns blue, the shortest red, and the others vanish.
x1 = recolor_largest_object(I, 0, 1)
x2 = recolor_smallest_object(x1, 0, 2)
O = remove_color(x2, 5)
