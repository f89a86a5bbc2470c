# Stray pixels aligned with the big rectangle shoot a line of their colour up to it.
x1 = background_color(I)
x2 = swap_background_to_zero(I)
x3 = most_common_nonzero_color(x2)
x4 = rays_toward_color(x2, x3)
O = swap_colors(x4, 0, x1)
