from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, Input, Concatenate


def create_base(shape):
    seq = Sequential()
    seq.add(Conv2D(4, 3, name='conv1', input_shape=shape))  # first
    seq.add(Flatten())
    seq.add(Dense(8, name='dense1'))
    return seq


base = create_base((8, 8, 1))
a = Input((8, 8, 1))
b = Input((8, 8, 1))
out = Concatenate()([base(a), base(b)])
