from keras.models import Model
from keras.layers import Lambda, Dense, Input
inputs = Input(shape=(3,))
x = Dense(2)(inputs)
x = Lambda(lambda t: t * 2)(x)
model = Model(inputs=inputs, outputs=x)
