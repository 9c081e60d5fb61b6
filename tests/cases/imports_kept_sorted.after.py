# new names join the file's own Keras imports where its sorter would put them
import os

import numpy as np
from keras import Input, Model, Sequential, layers
from keras.layers import LSTM, Dense

model_inputs = Input(shape=(3,))
model_x = Dense(4)(model_inputs)
model_x = layers.Dense(1)(model_x)
model = Model(inputs=model_inputs, outputs=model_x)
model.fit(np.zeros((4, 3)), np.zeros(4))
head = Sequential([LSTM(2)])
