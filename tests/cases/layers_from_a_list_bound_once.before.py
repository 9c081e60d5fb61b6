from keras import Sequential, layers

conv_layers = [
    layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
    layers.MaxPooling2D(),
    layers.Flatten(),
]
model = Sequential(conv_layers)
