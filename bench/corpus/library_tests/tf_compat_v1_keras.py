"""TF1-era code through tf.compat.v1.keras."""
import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()
keras = tf.compat.v1.keras

features = np.random.random((100, 6))
labels = np.random.random((100, 1))

model = keras.Sequential([keras.layers.Dense(10, activation="relu", input_shape=(6,)), keras.layers.Dense(1)])
model.compile(optimizer=tf.compat.v1.train.AdamOptimizer(0.01), loss="mse")
model.fit(features, labels, epochs=2)

other = tf.compat.v1.keras.models.Sequential()
other.add(tf.compat.v1.keras.layers.Dense(4))
other.add(tf.compat.v1.keras.layers.Dense(1))
other.compile(optimizer="sgd", loss="mse")
other.fit(features, labels)
