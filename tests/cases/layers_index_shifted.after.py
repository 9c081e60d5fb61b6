from keras import Input, layers, Model


def build():
    inputs = Input(shape=(4,))
    x = layers.Dense(8)(inputs)
    x = layers.Dense(2)(x)
    m = Model(inputs=inputs, outputs=x)
    return m


inputs = Input(shape=(8,))
x = layers.Dense(16)(inputs)
x = layers.Dense(4)(x)
x = layers.Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
w = model.layers[1].get_weights()
model.layers[-1].trainable = False
head = model.layers[2:]
body = model.layers[1:-1]
first_two = model.layers[1:3]
net = build()
print(net.layers[2].name)
