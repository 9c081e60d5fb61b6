from keras_tuner.backend.keras import Sequential, layers

model = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
