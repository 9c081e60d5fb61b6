import keras
from keras import layers

encoder_inputs = keras.Input(shape=(784,))
x = layers.Dense(32, activation="relu")(encoder_inputs)
x = layers.Dense(16)(x)
encoder = keras.Model(inputs=encoder_inputs, outputs=x, name="encoder")
decoder_inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu")(decoder_inputs)
x = layers.Dense(784)(x)
decoder = keras.Model(inputs=decoder_inputs, outputs=x)

inputs = keras.Input(shape=(784,), name="pixels")
z = encoder(inputs)
latent = keras.Input(shape=(16,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
decoded = decoder(latent)
