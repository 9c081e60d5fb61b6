"""An autoencoder whose Sequential parts declare no input shape: Keras builds them when they
are applied to Input tensors, so the conversion takes the shapes from there."""

import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(16)], name="encoder")
decoder = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(784, activation="sigmoid")])

inputs = keras.Input(shape=(784,), name="pixels")
latent = keras.Input(shape=(16,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
generator = keras.Model(latent, decoder(latent))

if __name__ == "__main__":
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    autoencoder.summary()
