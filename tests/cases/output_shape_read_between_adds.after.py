import tensorflow as tf
from tensorflow.keras import layers


def make_generator_model():
    inputs = tf.keras.Input(shape=(100,))
    x = layers.Dense(7 * 7 * 16, use_bias=False)(inputs)
    x = layers.Reshape((7, 7, 16))(x)
    assert x.shape == (None, 7, 7, 16)  # None is the batch size

    x = layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same")(x)
    model = tf.keras.Model(inputs=inputs, outputs=x)
    assert model.output_shape == (None, 14, 14, 1)
    return model


inputs = tf.keras.Input(shape=(4,))
print("input", inputs.shape, inputs.shape[-1])
x = layers.Dense(3)(inputs)
m = tf.keras.Model(inputs=inputs, outputs=x)
