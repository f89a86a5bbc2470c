# Grey cells take the other colour; everything else becomes 0.
x1 = remove_color(I, 5)
x2 = most_common_nonzero_color(x1)
O = mask_of_color(I, 5, x2)
