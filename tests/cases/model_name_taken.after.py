from keras.models import Model as KerasModel
from keras.layers import Dense, Input
class Model:
    pass
inputs = Input(shape=(3,))
x = Dense(2)(inputs)
seq = KerasModel(inputs=inputs, outputs=x)
