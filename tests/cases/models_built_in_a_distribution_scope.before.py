# models made in a tf.distribute strategy's scope (Keras builds them there) are fed data
# outside it, or a strategy's distributed dataset: the data gives the shape, as anywhere
import numpy as np
import tensorflow as tf

x = np.zeros((64, 10), dtype="float32")
y = np.zeros(64)
strategy = tf.distribute.MirroredStrategy()
with strategy.scope():
    model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
    model.compile("adam", "mse")
model.fit(x, y, epochs=1)


def build():
    return tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])


with strategy.scope():
    other = build()
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
distributed = strategy.experimental_distribute_dataset(dataset)
other.fit(distributed)
