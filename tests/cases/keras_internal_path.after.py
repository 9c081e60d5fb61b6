from keras.layers import Dense, Input
from keras.models import Model
inputs = Input(shape=(3,))
x = Dense(2)(inputs)
m = Model(inputs=inputs, outputs=x)
