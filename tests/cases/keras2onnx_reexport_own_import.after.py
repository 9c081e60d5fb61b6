from keras2onnx.proto.keras.layers import Dense, Input
from keras2onnx.proto.keras.models import Model

inputs = Input(shape=(3,))
x = Dense(4)(inputs)
x = Dense(2)(x)
model = Model(inputs=inputs, outputs=x)
