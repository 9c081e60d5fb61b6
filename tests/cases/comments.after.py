from keras.models import Model
from keras.layers import Dense, Input
inputs = Input(shape=(2,))
# the stack
# first
x = Dense(4)(inputs)  # hidden
x = Dense(1)(x)  # out
# end of stack
model = Model(inputs=inputs, outputs=x)
