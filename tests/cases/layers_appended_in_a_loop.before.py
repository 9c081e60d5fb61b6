# a layer list built by appends in a loop, then given to Sequential: a loop applies its layers
import numpy as np
import keras
from keras import layers

blocks = []
for units in (16, 8):
    blocks.append(layers.Dense(units, activation="relu"))
    if units > 8:
        blocks.append(layers.Dropout(0.1))
blocks.append(layers.Dense(1))
model = keras.Sequential(blocks)
model.compile("adam", "mse")
model.fit(np.zeros((4, 6)), np.zeros(4), verbose=0)
