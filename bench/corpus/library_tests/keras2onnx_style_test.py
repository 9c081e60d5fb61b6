"""Modelled on keras2onnx's tests: Keras reached through its proto module."""
import numpy as np
import unittest

from keras2onnx.proto import keras

Sequential = keras.models.Sequential
Dense = keras.layers.Dense
Conv2D = keras.layers.Conv2D


class TestKerasTF2ONNX(unittest.TestCase):
    def test_dense(self):
        model = Sequential()
        model.add(Dense(5, input_shape=(4,), activation="sigmoid"))
        model.add(Dense(3, input_shape=(5,), use_bias=True))
        model.compile("sgd", "mse")
        data = np.random.rand(2, 4).astype(np.float32)
        expected = model.predict(data)

    def test_conv2d(self):
        model = Sequential()
        model.add(Conv2D(2, kernel_size=(1, 2), strides=(1, 1), padding="valid", input_shape=(4, 4, 3)))
        model.compile("sgd", "mse")

    def test_unbuilt(self):
        model = Sequential([Dense(3), Dense(2)])
        model.predict(np.random.rand(5, 7).astype(np.float32))
