import keras
inp = keras.Input((3,))
model = keras.Sequential([inp, keras.layers.Dense(1)])
