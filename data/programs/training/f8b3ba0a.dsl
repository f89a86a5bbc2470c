# List the minority block colours, most frequent first (the majority colour left out).
O = palette_column(I, 1)
