import keras


def build_model():
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(2)(inputs)
    x = keras.layers.Dense(1)(x)
    return keras.Model(inputs=inputs, outputs=x)


model = build_model()
count = len(model.layers[1:])
first = model.get_layer(index=1)
