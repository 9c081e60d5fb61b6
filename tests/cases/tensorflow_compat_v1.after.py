import tensorflow.compat.v1 as tf
inputs = tf.keras.Input(shape=(3,))
x = tf.keras.layers.Dense(2)(inputs)
m = tf.keras.Model(inputs=inputs, outputs=x)
