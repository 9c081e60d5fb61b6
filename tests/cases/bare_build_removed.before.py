import keras

model = keras.Sequential()
model.add(keras.layers.Dense(3, input_shape=(4,)))
model.build()  # build it
