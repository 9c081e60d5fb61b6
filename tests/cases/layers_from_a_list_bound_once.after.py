from keras import Input, Model, layers

conv_layers = [
    layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
    layers.MaxPooling2D(),
    layers.Flatten(),
]
inputs = Input(shape=(28, 28, 1))
x = inputs
for layer in conv_layers:
    x = layer(x)
model = Model(inputs=inputs, outputs=x)
