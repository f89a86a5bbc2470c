# Crop to the square frame of the colour that occurs nowhere else.
O = crop_to_unique_color_object(I, 0)
