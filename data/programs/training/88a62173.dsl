# Four 2x2 patterns in the quadrants; output the one whose shape differs from the other three.
O = crop_to_unique_shape_object(I, 1)
