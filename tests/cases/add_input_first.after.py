import keras
from keras import layers
inputs = keras.Input(shape=(16,))  # features
x = layers.Dense(8)(inputs)
model = keras.Model(inputs=inputs, outputs=x)
