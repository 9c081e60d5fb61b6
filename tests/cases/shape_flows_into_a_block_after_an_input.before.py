import keras
from keras import layers

block = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(4)])
model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8), block, layers.Dense(1)])
