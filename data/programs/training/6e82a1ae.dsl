# Recolour grey shapes by size: largest 1, next 2, smallest 3.
O = recolor_by_size_rank(I, 0)
