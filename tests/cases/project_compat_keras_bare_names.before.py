from mypkg.compat import keras

Sequential = keras.models.Sequential
Dense = keras.layers.Dense

model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
