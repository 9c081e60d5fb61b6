from keras2onnx.proto.keras.layers import Dense
from keras2onnx.proto.keras.models import Sequential

model = Sequential()
model.add(Dense(4, input_shape=(3,)))
model.add(Dense(2))
