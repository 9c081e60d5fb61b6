import numpy as np
import keras

X = np.random.randn(64, 16).astype("float32")
encoder = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)], name="encoder")
head = keras.Sequential([keras.layers.Dense(1)], name="head")
full = keras.Sequential([encoder, head])
full.compile(optimizer="adam", loss="mse")
full.fit(X, X[:, :1], epochs=1)
unconverted = keras.Sequential([keras.layers.Dense(3)])
stack = keras.Sequential([keras.layers.Dense(2), unconverted])
