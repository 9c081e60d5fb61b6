"""A regression MLP whose hidden layers come from a list of widths (a comprehension), with
no input_shape: Keras learns the input from the data given to fit()."""

import numpy as np
import tensorflow as tf

HIDDEN_UNITS = [64, 32, 16]

rng = np.random.default_rng(0)
x_train = rng.normal(size=(256, 13)).astype("float32")
y_train = x_train @ rng.normal(size=(13, 1)).astype("float32")

model = tf.keras.Sequential(
    [tf.keras.layers.Dense(units, activation="relu") for units in HIDDEN_UNITS],
    name="regressor",
)
model.add(tf.keras.layers.Dropout(0.1))
model.add(tf.keras.layers.Dense(1))
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(x_train, y_train, epochs=2, batch_size=32, validation_split=0.2, verbose=0)
model.summary()
