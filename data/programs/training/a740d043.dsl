# Treat blue as background and crop to the coloured shape.
x1 = recolor(I, 1, 0)
O = crop_to_content(x1)
