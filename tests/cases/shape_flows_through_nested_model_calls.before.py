import numpy as np
import keras
from keras import layers

embed = keras.Sequential([layers.Dense(12), layers.Flatten()])
encoder = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(16)], name="encoder")
decoder = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(784, activation="sigmoid")])
inputs = keras.Input(shape=(784,))
autoencoder = keras.Model(inputs, decoder(encoder(embed(inputs))))
autoencoder.compile("adam", "binary_crossentropy")
probe = keras.Sequential([layers.Dense(3)])
probe(np.zeros((2, 12)))
print(probe(embed(inputs)))  # fed data and a model's output: not followed
