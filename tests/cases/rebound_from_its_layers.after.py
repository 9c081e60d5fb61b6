import keras

inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs=inputs, outputs=x)
# the value is read before the name is bound again: it is the first model's layers
model = keras.Sequential(model.layers[1:] + [keras.layers.Dense(1)])
print(len(model.layers))
