# Overlay the bottom half onto the top half (the grey row separates them).
O = overlay_halves(I, 1)
