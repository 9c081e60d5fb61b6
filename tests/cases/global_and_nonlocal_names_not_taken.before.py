import keras

x = 1


def build():
    global x
    x = 2
    return keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])


def outer():
    inputs = 5

    def inner():
        nonlocal inputs
        m = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
        return m

    return inner(), inputs


model = build()
assert x == 2
