# Surround every red pixel with a blue ring.
x1 = keep_color(I, 2)
x2 = box_objects(x1, 1)
O = overlay(x2, I)
