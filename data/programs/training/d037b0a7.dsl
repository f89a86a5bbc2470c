# Every pixel extends downwards to the bottom edge.
O = extend_rays(I, 1)
