from keras.models import Model
from keras.layers import Dense, Input
inputs = Input(shape=(5,))
x = Dense(1)(inputs)
model = Model(inputs=inputs, outputs=x)
