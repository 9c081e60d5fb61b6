from keras.models import Model
from keras.layers import Dense, Input

inputs = Input(shape=(3,))
x = inputs
for _ in range(5):
    x = Dense(2)(x)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
