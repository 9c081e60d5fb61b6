import keras
from keras.layers import *

a = keras.Sequential([Dense(2, input_shape=(3,))])
c = keras.Sequential([Input(shape=(4,)), Dense(1)])
