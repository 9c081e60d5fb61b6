import numpy as np
import keras
from keras import layers

widths = [16, 8]
mlp = keras.Sequential(
    [layers.Flatten(input_shape=(4, 4))]  # the image, flattened
    + [layers.Dense(w, activation="relu") for w in widths]
    + [layers.Dense(3), layers.Softmax()]
)

head = keras.Sequential([layers.Dense(w) for w in widths] + [layers.Dense(1)])
head.fit(np.zeros((8, 5)), np.zeros((8, 1)))

typed = keras.Sequential([keras.Input(shape=(6,))] + [layers.Dense(w) for w in widths])

nested = keras.Sequential(
    [layers.Dense(4, input_shape=(3,)), keras.Sequential([layers.Dense(4), layers.ReLU()])]
    + [layers.Dense(w) for w in widths]
)
