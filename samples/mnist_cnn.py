"""An MNIST-style CNN in list form, after the Keras examples."""

import keras
from keras import layers

num_classes = 10
input_shape = (28, 28, 1)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        # feature extractor
        layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(16, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        # classifier
        layers.Flatten(),
        layers.Dropout(0.5),  # only active while training
        layers.Dense(num_classes, activation="softmax"),
    ],
    name="mnist_cnn",
)

if __name__ == "__main__":
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
