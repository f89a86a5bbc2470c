# Fill the black cells enclosed by the red walls with blue.
O = fill_enclosed_background(I, 1)
