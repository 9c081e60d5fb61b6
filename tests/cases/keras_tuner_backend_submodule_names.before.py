from keras_tuner.backend import keras

Sequential = keras.models.Sequential

model = Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
