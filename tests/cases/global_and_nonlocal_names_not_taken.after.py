import keras

x = 1


def build():
    global x
    x = 2
    inputs = keras.Input(shape=(4,))
    model_x = keras.layers.Dense(3)(inputs)
    return keras.Model(inputs=inputs, outputs=model_x)


def outer():
    inputs = 5

    def inner():
        nonlocal inputs
        m_inputs = keras.Input(shape=(4,))
        m_x = keras.layers.Dense(3)(m_inputs)
        m = keras.Model(inputs=m_inputs, outputs=m_x)
        return m

    return inner(), inputs


model = build()
assert x == 2
