import keras
from keras.layers import *

a_inputs = keras.Input(shape=(3,))
a_x = Dense(2)(a_inputs)
a = keras.Model(inputs=a_inputs, outputs=a_x)
c_inputs = Input(shape=(4,))
c_x = Dense(1)(c_inputs)
c = keras.Model(inputs=c_inputs, outputs=c_x)
