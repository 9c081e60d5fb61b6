import keras
from keras.layers import *

inputs = keras.Input(shape=(3,))
x = Dense(2)(inputs)
a = keras.Model(inputs=inputs, outputs=x)
inputs = Input(shape=(4,))
x = Dense(1)(inputs)
c = keras.Model(inputs=inputs, outputs=x)
