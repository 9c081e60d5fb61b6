import keras
inp = keras.Input((3,))
x = keras.layers.Dense(1)(inp)
model = keras.Model(inputs=inp, outputs=x)
