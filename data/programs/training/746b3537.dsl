# Collapse repeated rows and columns.
x1 = dedupe_rows(I)
O = dedupe_cols(x1)
