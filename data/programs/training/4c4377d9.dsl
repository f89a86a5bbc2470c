# Stack the upside-down grid above the grid.
O = mirror_concat_up(I)
