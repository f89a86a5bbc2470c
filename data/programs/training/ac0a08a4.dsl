# Scale the grid up by a factor equal to the number of distinct non-black colours.
x1 = count_nonzero_colors(I)
O = upscale(I, x1)
