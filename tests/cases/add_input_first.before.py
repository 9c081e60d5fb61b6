import keras
from keras import layers
model = keras.Sequential()
model.add(keras.Input(shape=(16,)))  # features
model.add(layers.Dense(8))
