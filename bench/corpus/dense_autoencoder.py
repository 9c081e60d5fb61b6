"""A dense autoencoder: encoder and decoder blocks applied to one Input."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

latent_dim = 2

encoder = keras.Sequential(
    [
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(latent_dim, name="z"),
    ],
    name="encoder",
)
decoder = keras.Sequential(
    [
        layers.Dense(64, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    ],
    name="decoder",
)

inputs = keras.Input(shape=(784,))
z = encoder(inputs)
reconstruction = decoder(z)
autoencoder = keras.Model(inputs, reconstruction, name="autoencoder")
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")

x = np.random.rand(256, 784).astype("float32")
autoencoder.fit(x, x, epochs=1, batch_size=32)
