import keras
m = keras.Sequential([keras.layers.Dense(2)])
n = 3
a = keras.Input(shape=(n,))
y = m(a)
