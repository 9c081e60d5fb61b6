import tensorflow as tf
from tensorflow.keras import layers

a = tf.keras.Sequential([layers.Dense(4, input_shape=(3,))])
a.add(layers.Dense(a.output_shape[-1] * 2))

b = tf.keras.Sequential([layers.Dense(4, input_shape=(3,))])
if b.output_shape[-1] > 2:
    print(b.output_shape)
b.add(layers.Dense(2))

c = tf.keras.Sequential([layers.Dense(4, input_shape=(3,))])
c.output_shape = None
c.add(layers.Dense(2))
