import keras

dense = 1


def build(a, b):
    global dense, base_layers
    dense = 2
    base = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(2)])
    return base(a), base(b)
