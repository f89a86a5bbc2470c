# Frame every two-cell red domino with a green ring; single red pixels stay as they are.
x1 = recolor_objects_of_size(I, 2, 5)
x2 = keep_color(x1, 5)
x3 = box_objects(x2, 3)
x4 = keep_color(x3, 3)
O = overlay(I, x4)
