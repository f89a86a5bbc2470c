# Colour the grey bars by length: longest 1, middle 4, shortest 2.
x1 = recolor_by_size_rank(I, 0)
x2 = recolor(x1, 2, 4)
O = recolor(x2, 3, 2)
