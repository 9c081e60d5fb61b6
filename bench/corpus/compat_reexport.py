"""A project that reaches Keras through its own compatibility module."""

from project.compat import keras

model = keras.Sequential([keras.layers.Dense(4, input_shape=(8,)), keras.layers.Dense(1)])
