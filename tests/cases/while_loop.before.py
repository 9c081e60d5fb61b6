from keras import Sequential, layers
def make(depth):
    m = Sequential()
    m.add(layers.Dense(4, input_shape=(2,)))
    while depth > 0:
        m.add(layers.Dense(4))  # hidden
        depth -= 1
    return m
