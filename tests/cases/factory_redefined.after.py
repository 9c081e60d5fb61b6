import keras


def build():
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(2)(inputs)
    return keras.Model(inputs=inputs, outputs=x)


m = build()
print(m.layers[1:])


def build():  # the name is taken again: the calls below are this one's
    return keras.Sequential([keras.layers.Dense(2)])


m = build()
print(m.layers)
