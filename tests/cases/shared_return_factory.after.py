import tensorflow as tf


def build_tower():
    dense = tf.keras.layers.Dense(8)
    dense_1 = tf.keras.layers.Dense(2)

    def tower(x):
        x = dense(x)
        x = dense_1(x)
        return x

    return tower


tower = build_tower()
y = tower(tf.keras.Input((4,)))
