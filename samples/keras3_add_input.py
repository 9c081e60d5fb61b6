"""Keras 3's own Sequential style (the Sequential model guide): add the Input first, then layers."""

import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input(shape=(32, 32, 3)))  # 32x32 RGB images
model.add(layers.Conv2D(8, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(8, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.add(layers.GlobalMaxPooling2D())
model.add(layers.Dense(10))

if __name__ == "__main__":
    model.summary()
