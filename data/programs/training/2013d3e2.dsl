# Crop the symmetric shape and keep its top-left quarter.
x1 = crop_to_content(I)
x2 = top_half(x1)
O = left_half(x2)
