# The input is the pattern repeated three times across; keep one copy.
O = cols_third(I, 0)
