# Fill in the blank corner of the periodic tiling and output the missing patch.
O = periodic_blank_patch(I, 0)
