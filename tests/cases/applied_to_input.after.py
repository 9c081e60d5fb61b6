import keras
from keras import layers

encoder_inputs = keras.Input(shape=(784,))
encoder_x = layers.Dense(32, activation="relu")(encoder_inputs)
encoder_x = layers.Dense(16)(encoder_x)
encoder = keras.Model(inputs=encoder_inputs, outputs=encoder_x, name="encoder")
decoder_inputs = keras.Input(shape=(16,))
decoder_x = layers.Dense(32, activation="relu")(decoder_inputs)
decoder_x = layers.Dense(784)(decoder_x)
decoder = keras.Model(inputs=decoder_inputs, outputs=decoder_x)

inputs = keras.Input(shape=(784,), name="pixels")
z = encoder(inputs)
latent = keras.Input(shape=(16,))
autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
decoded = decoder(latent)
