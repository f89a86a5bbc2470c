# OR of the top and bottom halves (separator row between them) painted green.
O = halves_or(I, 1, 3)
