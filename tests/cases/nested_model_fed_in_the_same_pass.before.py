# the inner model takes its shape from the data it is fed; the outer model, of it, in the same pass
import numpy as np
import keras
from keras import layers

x = np.zeros((8, 5))
m = keras.Sequential([layers.Dense(4), layers.Dense(3)])
m.compile("adam", "mse")
m.fit(x, np.zeros((8, 3)))
head = keras.Sequential([m, layers.Dense(1)])
head.summary()
