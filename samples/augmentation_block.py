"""A keras.io-style image classifier: the input shape is a constant, and a Sequential
data-augmentation block is applied to the Input (seq2func reads the shape through the
constants)."""

import keras
from keras import layers

IMAGE_SIZE = 32
INPUT_SHAPE = (IMAGE_SIZE, IMAGE_SIZE) + (3,)
NUM_CLASSES = 10

data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.1),
    ],
    name="data_augmentation",
)

inputs = keras.Input(shape=INPUT_SHAPE)
x = data_augmentation(inputs)
x = layers.Rescaling(1.0 / 255)(x)
x = layers.Conv2D(16, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
model = keras.Model(inputs, outputs)
