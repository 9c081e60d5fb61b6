import tensorflow as tf
from keras2onnx.proto.keras.models import Sequential

model = Sequential()
model.add(tf.keras.layers.Dense(4, input_shape=(3,)))
