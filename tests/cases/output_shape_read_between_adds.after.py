import tensorflow as tf
from tensorflow.keras import layers


def make_generator_model():
    model_inputs = tf.keras.Input(shape=(100,))
    model_x = layers.Dense(7 * 7 * 16, use_bias=False)(model_inputs)
    model_x = layers.Reshape((7, 7, 16))(model_x)
    assert model_x.shape == (None, 7, 7, 16)  # None is the batch size

    model_x = layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same")(model_x)
    model = tf.keras.Model(inputs=model_inputs, outputs=model_x)
    assert model.output_shape == (None, 14, 14, 1)
    return model


m_inputs = tf.keras.Input(shape=(4,))
print("input", m_inputs.shape, m_inputs.shape[-1])
m_x = layers.Dense(3)(m_inputs)
m = tf.keras.Model(inputs=m_inputs, outputs=m_x)
