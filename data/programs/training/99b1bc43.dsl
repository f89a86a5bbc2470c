# Compare the halves above and below the yellow line; mark green where exactly one is filled.
O = halves_xor(I, 1, 3)
