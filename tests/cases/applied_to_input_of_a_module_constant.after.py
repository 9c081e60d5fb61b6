import keras
n = 3
inputs = keras.Input(shape=(n,))
x = keras.layers.Dense(2)(inputs)
m = keras.Model(inputs=inputs, outputs=x)
a = keras.Input(shape=(n,))
y = m(a)
