import keras

model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
k = 1
layer = model.get_layer(index=k)
