import keras
from keras import layers

IMG_SIZE = 32


def make():
    augment = keras.Sequential([layers.RandomFlip("horizontal")])
    IMG_SIZE = 64
    inputs = keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3))
    return augment(inputs)
