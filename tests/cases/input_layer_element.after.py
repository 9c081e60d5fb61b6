from tf_keras.models import Model
from tf_keras.layers import Input, Dense
inputs = Input(shape=(3,))
x = Dense(2)(inputs)
model = Model(inputs=inputs, outputs=x)
