import keras
from keras import layers
from keras.layers.experimental import RandomFourierFeatures

model = keras.Sequential([keras.Input(shape=(784,)), RandomFourierFeatures(output_dim=4096, scale=10.0, kernel_initializer="gaussian"), layers.Dense(units=10)])
