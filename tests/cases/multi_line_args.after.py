from keras.models import Model
from keras.layers import Dense, Input
inputs = Input(shape=(100,))
x = Dense(
    64, activation='relu', kernel_initializer='he_normal', bias_initializer='zeros'
)(inputs)
model = Model(inputs=inputs, outputs=x)
