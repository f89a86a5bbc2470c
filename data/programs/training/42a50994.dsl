# Remove the isolated pixels (no neighbour, corners counted).
O = remove_noise(I, 1)
