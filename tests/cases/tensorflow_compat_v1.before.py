import tensorflow.compat.v1 as tf
m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
