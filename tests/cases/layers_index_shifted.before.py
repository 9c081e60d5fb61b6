from keras import Sequential, layers


def build():
    m = Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(2)])
    return m


model = Sequential()
model.add(layers.Dense(16, input_dim=8))
model.add(layers.Dense(4))
model.add(layers.Dense(1))
w = model.layers[0].get_weights()
model.layers[-1].trainable = False
head = model.layers[1:]
body = model.layers[:-1]
first_two = model.layers[:2]
net = build()
print(net.layers[1].name)
