import keras

model = keras.Sequential()
model.add(keras.layers.Dense(4, input_shape=(3,)))
model.add(keras.layers.Dense(2))

n = len(model.layers)
for layer in model.layers:
    layer.trainable = False
names = [layer.name for layer in model.layers]
first = model.get_layer(index=0)
second = model.get_layer(None, 1)
last = model.get_layer(index=-1)
by_name = model.get_layer("dense")
