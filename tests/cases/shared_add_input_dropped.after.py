import keras
from keras import layers
dense = layers.Dense(8)


def model(x):
    x = dense(x)
    return x


y = model(keras.Input((16,)))
