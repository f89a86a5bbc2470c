# Fill the empty cells of each shape bounding box with 7.
O = fill_object_boxes(I, 7)
