from keras import Sequential, layers
def make(norm):
    m = Sequential()
    if norm:
        m.add(layers.BatchNormalization())
    m.add(layers.Dense(3))
    m.build((None, 10))
    return m
