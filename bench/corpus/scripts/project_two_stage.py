import numpy as np
import keras

N = 512
D = 16
X = np.random.randn(N, D).astype("float32")
Y = (X @ np.random.randn(D, 1)).astype("float32")

encoder = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)], name="encoder")
head = keras.Sequential([keras.layers.Dense(1)], name="head")
full = keras.Sequential([encoder, head])
full.compile(optimizer="adam", loss="mse")
full.fit(X, Y, epochs=2)
codes = encoder.predict(X)
