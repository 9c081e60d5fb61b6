from keras import Sequential, layers, Input
shared = layers.Dense(4)
m = Sequential([shared, layers.Dense(2)])
m.build((None, 3))
y = m(Input((3,)))
