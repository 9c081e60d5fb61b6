"""Convolutional autoencoder for image denoising (keras.io): noisy arrays from a helper."""

import keras
import numpy as np
from keras import layers
from keras.datasets import mnist


def preprocess(array):
    array = array.astype("float32") / 255.0
    array = np.reshape(array, (len(array), 28, 28, 1))
    return array


def noise(array):
    noise_factor = 0.4
    noisy_array = array + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy_array, 0.0, 1.0)


(train_data, _), (test_data, _) = mnist.load_data()
train_data = preprocess(train_data)
test_data = preprocess(test_data)
noisy_train_data = noise(train_data)

autoencoder = keras.Sequential(
    [
        layers.Conv2D(32, (3, 3), activation="relu", padding="same"),
        layers.MaxPooling2D((2, 2), padding="same"),
        layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same"),
        layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same"),
    ]
)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x=noisy_train_data, y=train_data, epochs=50, batch_size=128, shuffle=True)
