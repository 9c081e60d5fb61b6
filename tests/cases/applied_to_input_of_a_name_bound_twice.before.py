import keras
n = 3
m = keras.Sequential([keras.layers.Dense(2)])
n = 4
a = keras.Input(shape=(n,))
y = m(a)
