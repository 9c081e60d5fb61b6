from keras.models import Sequential
from keras.layers import Dense


def head(n, x):
    m = Sequential()
    m.add(Dense(8, input_shape=(8,)))
    for _ in range(n):
        m.add(Dense(8))
    m.add(Dense(1))
    return m(x)
