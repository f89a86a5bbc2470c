# Grey marks on the top row and right column: red where a marked column meets a marked row.
x1 = extend_color_rays(I, 5, 1)
x2 = extend_color_rays(I, 5, 2)
x3 = mask_and(x1, x2, 2)
O = overlay(x3, I)
