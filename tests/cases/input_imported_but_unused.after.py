from keras.layers import Input, Dense
from keras.models import Model

inputs = Input(shape=(4,))
x = Dense(2)(inputs)
m = Model(inputs=inputs, outputs=x)
