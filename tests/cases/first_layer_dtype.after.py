from keras.models import Model
from keras.layers import Dense, Input
inputs = Input(shape=(4,))
x = Dense(3, dtype="float64")(inputs)
model = Model(inputs=inputs, outputs=x)
