import keras

flag = True


def small():
    return keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])


def large():
    return keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])


if flag:
    model = small()
else:
    model = large()
print(len(model.layers))  # both models reach it: moved for one, it would be wrong for the other
