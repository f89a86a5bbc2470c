# Four yellow corners outline a rectangle; fill its interior with red.
x1 = connect_color_with(I, 4, 2)
x2 = enclosed_background_mask(x1, 2)
O = overlay(I, x2)
