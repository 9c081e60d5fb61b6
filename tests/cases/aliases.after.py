import keras as K
from keras.models import Model
from keras.layers import Input
inputs = Input(shape=(3,))
x = K.layers.Dense(2)(inputs)
a = Model(inputs=inputs, outputs=x)
