# Remove the grey noise and shrink each 3x3 block to one cell.
x1 = remove_color(I, 5)
O = downscale(x1, 3)
