# Mirror the coloured rows at the top onto the bottom.
x1 = flip_vertical(I)
O = overlay(I, x1)
