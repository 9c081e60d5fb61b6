"""Old TensorFlow code that imports Keras from its private path."""
import numpy as np
from tensorflow.python.keras import layers
from tensorflow.python.keras.models import Sequential

x = np.random.rand(64, 12).astype("float32")
y = np.random.randint(0, 2, size=(64, 1))

model = Sequential()
model.add(layers.Dense(32, activation="relu", input_dim=12))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)

model2 = Sequential([layers.Dense(8), layers.Dense(1)])
model2.compile(optimizer="adam", loss="mse")
model2.fit(x, y, epochs=1)
