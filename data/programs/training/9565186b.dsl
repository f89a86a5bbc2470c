# Keep the most common colour; every other cell turns grey.
x1 = background_color(I)
x2 = mask_of_color(I, x1, 1)
x3 = keep_where(I, x2)
x4 = filled_like(I, 5)
O = overlay(x4, x3)
