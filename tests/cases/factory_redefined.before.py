import keras


def build():
    return keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])


m = build()
print(m.layers)


def build():  # the name is taken again: the calls below are this one's
    return keras.Sequential([keras.layers.Dense(2)])


m = build()
print(m.layers)
