from keras.models import Model
from keras.layers import Dense, Input

inputs = Input(shape=(4,))
x = Dense(3)(inputs)
model = Model(inputs=inputs, outputs=x)
model.compile(loss="mse")
inputs = Input(shape=(5,))
x = Dense(3)(inputs)
x = Dense(2)(x)
model = Model(inputs=inputs, outputs=x)
