from keras_tuner.backend import keras

Sequential = keras.models.Sequential

inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(4)(inputs)
x = keras.layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)
