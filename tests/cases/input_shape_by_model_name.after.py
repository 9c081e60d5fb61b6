# shapes given by model name: each model takes its own
import keras
from keras import layers

encoder_inputs = keras.Input(shape=(8,))
encoder_x = layers.Dense(4)(encoder_inputs)
encoder_x = layers.Dense(2)(encoder_x)
encoder = keras.Model(inputs=encoder_inputs, outputs=encoder_x)
decoder_inputs = keras.Input(shape=(2,))
decoder_x = layers.Dense(4)(decoder_inputs)
decoder_x = layers.Dense(8)(decoder_x)
decoder = keras.Model(inputs=decoder_inputs, outputs=decoder_x)
