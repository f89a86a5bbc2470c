# Concentric rings swap colours: the outermost ring takes the innermost colour and so on (reverse colour frequency order).
O = reverse_color_frequency(I)
