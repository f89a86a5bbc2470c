# Recolour the shape with the colour of the lone corner pixel, then remove that pixel.
x1 = recolor_most_to_least_common(I)
O = remove_noise(x1, 0)
