import tensorflow as tf
from tensorflow.keras import layers


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 7 * 16, use_bias=False, input_shape=(100,)))
    model.add(layers.Reshape((7, 7, 16)))
    assert model.output_shape == (None, 7, 7, 16)  # None is the batch size

    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same"))
    assert model.output_shape == (None, 14, 14, 1)
    return model


m = tf.keras.Sequential()
m.add(tf.keras.Input(shape=(4,)))
print("input", m.output_shape, m.output_shape[-1])
m.add(layers.Dense(3))
