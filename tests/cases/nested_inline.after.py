from keras import Model, Sequential, layers
inputs = layers.Input((6,))
x = Sequential([layers.Dense(4), layers.Dense(4)], name="block")(inputs)
x = layers.Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
