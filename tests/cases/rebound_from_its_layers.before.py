import keras

model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
# the value is read before the name is bound again: it is the first model's layers
model = keras.Sequential(model.layers + [keras.layers.Dense(1)])
print(len(model.layers))
