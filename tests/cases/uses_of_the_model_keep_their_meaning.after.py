import keras

inputs = keras.Input(shape=(3,))
x = keras.layers.Dense(4)(inputs)
x = keras.layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)

n = len(model.layers[1:])
for layer in model.layers[1:]:
    layer.trainable = False
names = [layer.name for layer in model.layers[1:]]
first = model.get_layer(index=1)
second = model.get_layer(None, 2)
last = model.get_layer(index=-1)
by_name = model.get_layer("dense")
