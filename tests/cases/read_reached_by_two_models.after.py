import keras

flag = True


def small():
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(2)(inputs)
    return keras.Model(inputs=inputs, outputs=x)


def large():
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(4)(inputs)
    return keras.Model(inputs=inputs, outputs=x)


if flag:
    model = small()
else:
    model = large()
print(len(model.layers[1:]))  # both models reach it: moved by one, once
