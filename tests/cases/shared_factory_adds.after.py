from keras.layers import Conv2D, Dense, Flatten, Input, Concatenate


def create_base(shape):
    conv1 = Conv2D(4, 3, name='conv1')  # first
    flatten = Flatten()
    dense1 = Dense(8, name='dense1')

    def seq(x):
        x = conv1(x)
        x = flatten(x)
        x = dense1(x)
        return x

    return seq


base = create_base((8, 8, 1))
a = Input((8, 8, 1))
b = Input((8, 8, 1))
out = Concatenate()([base(a), base(b)])
