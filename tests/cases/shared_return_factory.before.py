import tensorflow as tf


def build_tower():
    return tf.keras.Sequential([tf.keras.layers.Dense(8, input_dim=4), tf.keras.layers.Dense(2)])


tower = build_tower()
y = tower(tf.keras.Input((4,)))
