import keras
inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
m = keras.Model(inputs=inputs, outputs=x)
n = 3
a = keras.Input(shape=(n,))
y = m(a)
