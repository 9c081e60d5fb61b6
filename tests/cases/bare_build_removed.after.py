import keras

inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(3)(inputs)
model = keras.Model(inputs=inputs, outputs=x)
# build it
