# Surround every grey pixel with a blue ring.
O = box_objects(I, 1)
