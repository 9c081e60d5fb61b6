import tensorflow as tf
from tensorflow.keras.layers import Input
from tensorflow.keras.models import Model
keras = tf.keras
Sequential = keras.models.Sequential
inputs = Input(shape=(3,))
x = keras.layers.Dense(2)(inputs)
m = Model(inputs=inputs, outputs=x)
