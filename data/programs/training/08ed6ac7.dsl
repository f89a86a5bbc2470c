# Recolour the grey bars by length rank: longest 1, then 2, 3, 4.
O = recolor_by_size_rank(I, 0)
