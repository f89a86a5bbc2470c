# Isolated single red pixels turn blue.
O = recolor_objects_of_size(I, 1, 1)
