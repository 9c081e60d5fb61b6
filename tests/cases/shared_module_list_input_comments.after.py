import keras
from keras import layers

dense = 3
# hidden
dense_1 = layers.Dense(16, activation="relu")  # wide
dense_2 = layers.Dense(4)


def encoder(x):
    x = dense_1(x)
    x = dense_2(x)
    return x


a = keras.Input(shape=(8,))
merged = layers.Concatenate()([encoder(a), encoder(a)])
