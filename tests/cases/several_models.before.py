import tensorflow as tf
enc = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(8,))], name="enc")
dec = tf.keras.Sequential([tf.keras.layers.Dense(8, input_shape=(4,))], name="dec")
