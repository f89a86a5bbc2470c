# Mirror the grid about its main diagonal.
O = transpose(I)
