# Several 3x3 panels share one shape; output the panel whose shape differs.
O = crop_to_unique_shape_object(I, 1)
