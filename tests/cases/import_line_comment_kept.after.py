import keras
# fuzz
from keras.models import Model
from keras.layers import Input
inputs = Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
m = Model(inputs=inputs, outputs=x)
