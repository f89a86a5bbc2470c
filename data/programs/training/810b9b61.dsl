# Recolour the closed loops (shapes with holes) to 3.
O = recolor_objects_with_holes(I, 3)
