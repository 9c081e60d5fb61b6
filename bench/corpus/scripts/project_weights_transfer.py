import numpy as np
import tensorflow as tf

teacher = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu", input_shape=(64,)),
    tf.keras.layers.Dense(10),
])
student = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10),
])
student.build((None, 64))
student.layers[-1].set_weights(teacher.layers[-1].get_weights()[:0] or student.layers[-1].get_weights())
x = np.random.rand(8, 64)
print(teacher.predict(x).shape, student.predict(x).shape)
