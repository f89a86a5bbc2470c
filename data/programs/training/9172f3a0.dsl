# Scale every cell up to a 3x3 block.
O = upscale(I, 3)
