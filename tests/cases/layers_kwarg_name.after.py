import keras
inputs = keras.layers.Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
m = keras.models.Model(inputs=inputs, outputs=x, name="tiny")
