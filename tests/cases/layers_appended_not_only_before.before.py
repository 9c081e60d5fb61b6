# left as they are: a list appended to after the model is made, read elsewhere, or holding an Input
import numpy as np
import keras
from keras import layers

late = []
late.append(layers.Dense(4))
model = keras.Sequential(late)
late.append(layers.Dense(1))
model.fit(np.zeros((4, 6)), np.zeros(4))

shared = []
shared.append(layers.Dense(4))
other = keras.Sequential(shared)
print(len(shared))
other.fit(np.zeros((4, 6)), np.zeros(4))

started = []
started.append(keras.Input(shape=(6,)))
started.append(layers.Dense(4))
third = keras.Sequential(started)
