import keras
from keras import layers
model = keras.Sequential()
model.add(keras.Input(shape=(16,)))
model.add(layers.Dense(8))
y = model(keras.Input((16,)))
