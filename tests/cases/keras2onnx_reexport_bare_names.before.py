from keras2onnx.proto import keras

Dense = keras.layers.Dense
Sequential = keras.models.Sequential

model = Sequential()
model.add(Dense(4, input_shape=(3,)))
model.add(Dense(2))
