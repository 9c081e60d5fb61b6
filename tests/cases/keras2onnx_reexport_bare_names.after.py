from keras2onnx.proto import keras

Dense = keras.layers.Dense
Sequential = keras.models.Sequential

inputs = keras.Input(shape=(3,))
x = Dense(4)(inputs)
x = Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)
