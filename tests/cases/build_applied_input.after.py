from keras.models import Model
from keras.layers import Dense, Input
inputs = Input(shape=(7,))
x = Dense(4)(inputs)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
model.summary()
