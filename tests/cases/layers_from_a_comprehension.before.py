import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

sizes = [32, 16]
mlp = keras.Sequential([layers.Dense(n, activation="relu") for n in sizes])
mlp.build((None, 4))

gen = keras.Sequential(layers.Dense(n) for n in (8, 4))
gen.add(layers.Dense(1))
gen.build((None, 3))


def make(hidden):
    model = keras.Sequential(
        [
            layers.Dense(units, activation="relu")  # one per width
            for units in hidden
        ],
        name="mlp",
    )
    model.add(layers.Dense(1))
    model.compile("adam", "mse")
    model.fit(np.zeros((8, 5)), np.zeros((8, 1)), epochs=1, verbose=0)
    return model


layer = "a name the loop must not take"
inputs = keras.Input(shape=(6,))
head = keras.Sequential([layers.Dense(n) for n in sizes])
outputs = head(inputs)

commented = keras.Sequential(
    # hidden layers
    [layers.Dense(u) for u in sizes],  # one per width
    name="commented",  # the name
)
commented.build((None, 3))
