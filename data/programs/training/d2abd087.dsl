# Grey objects of exactly six cells turn red, all other grey objects turn blue.
x1 = recolor_objects_of_size(I, 6, 2)
O = recolor(x1, 5, 1)
