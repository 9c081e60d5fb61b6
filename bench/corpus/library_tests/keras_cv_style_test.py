"""Modelled on KerasCV layer tests: preprocessing layers inside Sequentials under test."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

from keras_cv.layers import preprocessing


class RandomShearTest(tf.test.TestCase):
    def test_in_sequential(self):
        model = keras.Sequential([preprocessing.RandomShear(x_factor=0.1), keras.layers.Flatten()])
        xs = tf.ones((2, 32, 32, 3))
        model(xs)

    def test_in_tf_function(self):
        layer = preprocessing.RandomShear(x_factor=0.2)
        model = keras.Sequential([keras.Input((16, 16, 3)), layer])
        model(tf.ones((1, 16, 16, 3)))
