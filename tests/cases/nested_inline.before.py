from keras import Sequential, layers
model = Sequential([
    layers.Input((6,)),
    Sequential([layers.Dense(4), layers.Dense(4)], name="block"),
    layers.Dense(1),
])
