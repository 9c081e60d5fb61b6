from keras.src.layers.core.input_layer import Input
from keras import Model
from keras.layers import Dense
inputs = Input(shape=(8,))
x = Dense(2)(inputs)
m = Model(inputs=inputs, outputs=x)
