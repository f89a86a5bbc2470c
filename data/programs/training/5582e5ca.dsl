# Fill the grid with its most common colour.
x1 = background_color(I)
O = filled_like(I, x1)
