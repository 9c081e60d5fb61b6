import keras

model = keras.Sequential()
model.add(keras.layers.Dense(4, input_shape=(3,)))
adder = model.add
adder(keras.layers.Dense(2))
