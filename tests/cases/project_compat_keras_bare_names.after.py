from mypkg.compat import keras

Sequential = keras.models.Sequential
Dense = keras.layers.Dense

inputs = keras.Input(shape=(3,))
x = Dense(4)(inputs)
x = Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)
