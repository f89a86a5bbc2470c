# Overlay the top and bottom halves; mark with red the cells empty in both.
O = halves_nor(I, 1, 2)
