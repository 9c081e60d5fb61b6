import tensorflow as tf
keras = tf.keras
Sequential = keras.models.Sequential
m = Sequential([keras.layers.Dense(2, input_shape=(3,))])
