# a project's own function that takes a model and returns one with its input, named in
# `model-wrappers`: the data its result is fed gives the model's shape; another function
# of the same module, not named, still tells nothing
import numpy as np
from tensorflow import keras

from mylib.train import distill, ensemble

features = np.random.rand(32, 12).astype("float32")
student = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
small = distill(student, temperature=2.0)
small.fit(features, features[:, 0], epochs=1)

member = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
joined = ensemble(member)
joined.fit(features, features[:, 0], epochs=1)
