"""Generative Deep Learning style: an encoder written as Sequential with a shape constant
taken from a config class."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers


class Config:
    IMAGE_SIZE = 32
    CHANNELS = 1
    EMBEDDING_DIM = 2


(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()


def preprocess(imgs):
    imgs = imgs.astype("float32") / 255.0
    imgs = np.pad(imgs, ((0, 0), (2, 2), (2, 2)), constant_values=0.0)
    imgs = np.expand_dims(imgs, -1)
    return imgs


x_train = preprocess(x_train)

encoder = keras.Sequential(
    [
        layers.Conv2D(32, (3, 3), strides=2, activation="relu", padding="same"),
        layers.Conv2D(64, (3, 3), strides=2, activation="relu", padding="same"),
        layers.Flatten(),
        layers.Dense(Config.EMBEDDING_DIM, name="embedding"),
    ]
)
encoder_input = layers.Input(
    shape=(Config.IMAGE_SIZE, Config.IMAGE_SIZE, Config.CHANNELS), name="encoder_input"
)
embedding = encoder(encoder_input)
