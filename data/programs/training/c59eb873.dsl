# Scale the grid up by 2.
O = upscale(I, 2)
