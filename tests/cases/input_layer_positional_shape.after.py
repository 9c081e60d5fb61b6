import keras
inputs = keras.Input(shape=(28, 28, 11))
x = keras.layers.Flatten()(inputs)
m = keras.Model(inputs=inputs, outputs=x)
