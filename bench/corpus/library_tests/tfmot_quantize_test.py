"""Modelled on TensorFlow Model Optimization's tests: Keras reached through its compat module."""
import numpy as np
import tensorflow as tf

from tensorflow_model_optimization.python.core.keras.compat import keras
from tensorflow_model_optimization.python.core.quantization.keras import quantize

layers = keras.layers


class QuantizeTest(tf.test.TestCase):
    def _build_model(self):
        return keras.Sequential([
            layers.Conv2D(4, (3, 3), input_shape=(10, 10, 3)),
            layers.ReLU(),
            layers.Flatten(),
            layers.Dense(2),
        ])

    def testQuantizesModel(self):
        model = self._build_model()
        quantized = quantize.quantize_model(model)
        self.assertEqual(len(quantized.layers), len(model.layers) + 1)

    def testSequentialUnbuilt(self):
        model = keras.Sequential([layers.Dense(3), layers.Softmax()])
        model.build(input_shape=(None, 5))
        x = np.random.randn(2, 5)
        model.predict(x)


def _get_model():
    return keras.Sequential(
        [keras.layers.Dense(10, input_shape=(784,), activation="relu"), keras.layers.Dense(10)]
    )
