# Paint 2 on the empty cells inside each shape bounding box.
O = fill_object_boxes(I, 2)
