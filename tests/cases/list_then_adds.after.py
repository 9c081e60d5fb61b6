from keras.models import Model
from keras.layers import Dense, Dropout, Input
inputs = Input(shape=(4,))
x = Dense(8)(inputs)
x = Dense(8)(x)
x = Dropout(0.5)(x)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
