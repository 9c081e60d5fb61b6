import keras
from keras import layers

IMG_SIZE = 32


def make():
    augment_inputs = keras.Input(shape=(64, 64, 3))
    augment_x = layers.RandomFlip("horizontal")(augment_inputs)
    augment = keras.Model(inputs=augment_inputs, outputs=augment_x)
    IMG_SIZE = 64
    inputs = keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3))
    return augment(inputs)
