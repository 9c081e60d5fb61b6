import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(16)], name="encoder")
decoder = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(784, activation="sigmoid")])
inputs = keras.Input(shape=(784,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
autoencoder.compile("adam", "binary_crossentropy")
