from mypkg.compat.keras.layers import Dense, Input
from mypkg.compat.keras.models import Model

inputs = Input(shape=(3,))
x = Dense(4)(inputs)
x = Dense(2)(x)
model = Model(inputs=inputs, outputs=x)
