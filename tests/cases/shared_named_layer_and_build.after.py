from keras import layers, Input
shared = layers.Dense(4)
dense = layers.Dense(2)


def m(x):
    x = shared(x)
    x = dense(x)
    return x


y = m(Input((3,)))
