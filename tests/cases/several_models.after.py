import tensorflow as tf
enc_inputs = tf.keras.Input(shape=(8,))
enc_x = tf.keras.layers.Dense(4)(enc_inputs)
enc = tf.keras.Model(inputs=enc_inputs, outputs=enc_x, name="enc")
dec_inputs = tf.keras.Input(shape=(4,))
dec_x = tf.keras.layers.Dense(8)(dec_inputs)
dec = tf.keras.Model(inputs=dec_inputs, outputs=dec_x, name="dec")
