import keras
from keras import layers

dense = 3
encoder = keras.Sequential([
    keras.Input(shape=(8,)),
    # hidden
    layers.Dense(16, activation="relu"),  # wide
    layers.Dense(4),
])
a = keras.Input(shape=(8,))
merged = layers.Concatenate()([encoder(a), encoder(a)])
