# Fill each row between the two same-coloured pixels of the V shape, making a solid funnel.
O = connect_aligned(I)
