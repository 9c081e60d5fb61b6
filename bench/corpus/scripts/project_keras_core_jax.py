import os

os.environ["KERAS_BACKEND"] = "jax"

import keras
import numpy as np

x = np.random.normal(size=(1000, 5)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = keras.Sequential([
    keras.layers.Dense(32, activation="gelu"),
    keras.layers.LayerNormalization(),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.AdamW(1e-3), loss="mse")
model.fit(x, y, batch_size=64, epochs=3)
