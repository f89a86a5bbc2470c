# Crop to the shape and scale it up by 2.
x1 = crop_to_content(I)
O = upscale(x1, 2)
