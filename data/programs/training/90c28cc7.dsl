# Summarise the block mosaic: one cell per uniform block, then drop the empty margin.
x1 = downscale_blocks(I)
O = crop_to_content(x1)
