# Replace each red ring by green filling of its hole (solid blocks vanish).
O = enclosed_background_mask(I, 3)
