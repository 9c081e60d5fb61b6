import keras
from keras import layers

encoder_inputs = keras.Input(shape=(16,))
encoder_inputs_2 = keras.Input(shape=(16,))
encoder_x = layers.Dense(8)(encoder_inputs_2)
encoder_x = layers.Dense(4)(encoder_x)
encoder = keras.Model(inputs=encoder_inputs_2, outputs=encoder_x)
decoder_inputs = keras.Input(shape=(4,))
decoder_x = layers.Dense(8)(decoder_inputs)
decoder_x = layers.Dense(16)(decoder_x)
decoder = keras.Model(inputs=decoder_inputs, outputs=decoder_x)
z = encoder(encoder_inputs)
out = decoder(z)
auto = keras.Model(encoder_inputs, out)
