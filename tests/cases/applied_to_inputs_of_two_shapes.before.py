import keras
m = keras.Sequential([keras.layers.Dense(2)])
a = keras.Input(shape=(3,))
b = keras.Input(shape=(4,))
y = m(a)
z = m(b)
