from keras_tuner.backend import keras

inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(4)(inputs)
x = keras.layers.Dense(1)(x)
tuned = keras.Model(inputs=inputs, outputs=x)
