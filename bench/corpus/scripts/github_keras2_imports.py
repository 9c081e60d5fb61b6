"""Keras 2 module paths that Keras 3 moved."""
import numpy as np
from keras.layers.core import Dense, Activation, Dropout
from keras.layers.recurrent import LSTM
from keras.models import Sequential

X = np.random.rand(100, 10, 4)
y = np.random.rand(100, 1)

model = Sequential()
model.add(LSTM(input_dim=4, output_dim=50, return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(100, return_sequences=False))
model.add(Dense(output_dim=1))
model.add(Activation("linear"))
model.compile(loss="mse", optimizer="rmsprop")

model2 = Sequential()
model2.add(LSTM(16, input_shape=(10, 4)))
model2.add(Dense(1))
model2.compile(loss="mse", optimizer="rmsprop")
model2.fit(X, y, batch_size=16, nb_epoch=1)
