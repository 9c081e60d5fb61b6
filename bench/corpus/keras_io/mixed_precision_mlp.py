"""An MLP in the style of keras.io's getting-started guide: sizes from a config dict."""

import keras
from keras import layers

config = {"input_dim": 784, "hidden": 256, "classes": 10}

(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255

model = keras.Sequential(
    [
        layers.Dense(config["hidden"], activation="relu"),
        layers.Dense(config["hidden"], activation="relu"),
        layers.Dense(config["classes"]),
    ]
)
model.compile(
    optimizer=keras.optimizers.RMSprop(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)
