# Lines cut the background into cells; output one background cell per cell of the partition.
x1 = least_common_color(I)
x2 = dedupe_rows(I)
x3 = dedupe_cols(x2)
x4 = recolor(x3, x1, 0)
O = remove_empty_lines(x4)
