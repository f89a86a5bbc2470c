# Double the width, continuing the horizontal repeating pattern into the new half.
x1 = filled_like(I, 9)
x2 = concat_horizontal(I, x1)
O = periodic_repair(x2, 9)
