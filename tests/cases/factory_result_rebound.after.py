from keras.models import Model
from keras.layers import Dense, Input
def make():
    inputs = Input(shape=(3,))
    x = Dense(2)(inputs)
    return Model(inputs=inputs, outputs=x)
m = make()
m.fit()
inputs = Input(shape=(2,))
x = Dense(1)(inputs)
m = Model(inputs=inputs, outputs=x)
