# Fill the missing corner of each azure L with blue.
O = fill_object_boxes(I, 1)
