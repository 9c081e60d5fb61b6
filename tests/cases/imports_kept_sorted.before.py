# new names join the file's own Keras imports where its sorter would put them
import os

import numpy as np
from keras import Sequential, layers
from keras.layers import LSTM, Dense

model = Sequential([Dense(4), layers.Dense(1)])
model.fit(np.zeros((4, 3)), np.zeros(4))
head = Sequential([LSTM(2)])
