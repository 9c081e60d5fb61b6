# the inner model takes its shape from the data it is fed; the outer model, of it, in the same pass
import numpy as np
import keras
from keras import layers

x = np.zeros((8, 5))
m_inputs = keras.Input(shape=(5,))
m_x = layers.Dense(4)(m_inputs)
m_x = layers.Dense(3)(m_x)
m = keras.Model(inputs=m_inputs, outputs=m_x)
m.compile("adam", "mse")
m.fit(x, np.zeros((8, 3)))
head_inputs = keras.Input(shape=(5,))
head_x = m(head_inputs)
head_x = layers.Dense(1)(head_x)
head = keras.Model(inputs=head_inputs, outputs=head_x)
head.summary()
