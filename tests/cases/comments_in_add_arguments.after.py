from keras.models import Model
from keras.layers import Dense, Input

inputs = Input(shape=(4,))
x = Dense(
    8,  # 8 units
    activation='relu',  # relu beat gelu here
)(inputs)  # the shape
x = Dense(128*7*7)(x)  # big
model = Model(inputs=inputs, outputs=x)
