# Fill the enclosed holes of the green shapes with yellow.
O = fill_object_holes(I, 4)
