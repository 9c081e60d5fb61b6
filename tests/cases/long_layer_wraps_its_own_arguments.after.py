import keras
from keras import layers
from keras.layers.experimental import RandomFourierFeatures

inputs = keras.Input(shape=(784,))
x = RandomFourierFeatures(
    output_dim=4096, scale=10.0, kernel_initializer="gaussian"
)(inputs)
x = layers.Dense(units=10)(x)
model = keras.Model(inputs=inputs, outputs=x)
