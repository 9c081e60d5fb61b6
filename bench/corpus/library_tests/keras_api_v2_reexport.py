"""Code that imports Keras through the keras.api._v2 path some IDEs auto-complete."""
import numpy as np
from keras.api._v2 import keras

model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 5), np.random.randint(0, 3, 30))

encoder = keras.models.Sequential([keras.layers.Dense(8, input_shape=(20,)), keras.layers.Dense(2)])
