import numpy as np
import keras

X = np.random.randn(64, 16).astype("float32")
encoder_inputs = keras.Input(shape=(16,))
encoder_x = keras.layers.Dense(8, activation="relu")(encoder_inputs)
encoder_x = keras.layers.Dense(4)(encoder_x)
encoder = keras.Model(inputs=encoder_inputs, outputs=encoder_x, name="encoder")
dense = keras.layers.Dense(1)


def head(x):
    x = dense(x)
    return x


full_inputs = keras.Input(shape=(16,))
full_x = encoder(full_inputs)
full_x = head(full_x)
full = keras.Model(inputs=full_inputs, outputs=full_x)
full.compile(optimizer="adam", loss="mse")
full.fit(X, X[:, :1], epochs=1)
unconverted = keras.Sequential([keras.layers.Dense(3)])
stack = keras.Sequential([keras.layers.Dense(2), unconverted])
