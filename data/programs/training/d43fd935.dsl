# Pixels in line with the green block shoot a ray of their colour to it.
O = rays_toward_color(I, 3)
