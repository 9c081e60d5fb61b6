import keras
from keras import layers

encoder_inputs = keras.Input(shape=(16,))
encoder = keras.Sequential([layers.Dense(8), layers.Dense(4)])
decoder = keras.Sequential([layers.Dense(8), layers.Dense(16)])
z = encoder(encoder_inputs)
out = decoder(z)
auto = keras.Model(encoder_inputs, out)
