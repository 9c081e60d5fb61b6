import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(16)], name="encoder")
decoder = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(784)])

inputs = keras.Input(shape=(784,), name="pixels")
z = encoder(inputs)
latent = keras.Input(shape=(16,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
decoded = decoder(latent)
