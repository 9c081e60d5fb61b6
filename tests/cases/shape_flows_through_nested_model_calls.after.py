import numpy as np
import keras
from keras import layers

embed_inputs = keras.Input(shape=(784,))
embed_x = layers.Dense(12)(embed_inputs)
embed_x = layers.Flatten()(embed_x)
embed = keras.Model(inputs=embed_inputs, outputs=embed_x)
encoder_inputs = keras.Input(shape=(12,))
encoder_x = layers.Dense(64, activation="relu")(encoder_inputs)
encoder_x = layers.Dense(16)(encoder_x)
encoder = keras.Model(inputs=encoder_inputs, outputs=encoder_x, name="encoder")
decoder_inputs = keras.Input(shape=(16,))
decoder_x = layers.Dense(64, activation="relu")(decoder_inputs)
decoder_x = layers.Dense(784, activation="sigmoid")(decoder_x)
decoder = keras.Model(inputs=decoder_inputs, outputs=decoder_x)
inputs = keras.Input(shape=(784,))
autoencoder = keras.Model(inputs, decoder(encoder(embed(inputs))))
autoencoder.compile("adam", "binary_crossentropy")
probe = keras.Sequential([layers.Dense(3)])
probe(np.zeros((2, 12)))
print(probe(embed(inputs)))  # fed data and a model's output: not followed
