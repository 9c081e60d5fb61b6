"""Modelled on tf_keras layer tests: testing_utils.layer_test and tiny Sequentials."""
import numpy as np
import tensorflow.compat.v2 as tf

import tf_keras as keras
from tf_keras.testing_infra import test_combinations
from tf_keras.testing_infra import test_utils


@test_combinations.run_all_keras_modes
class DropoutTest(test_combinations.TestCase):
    def test_dropout_supports_masking(self):
        dropout = keras.layers.Dropout(0.5)
        self.assertEqual(True, dropout.supports_masking)

    def test_dropout_partial_noise_shape(self):
        inputs = keras.Input(shape=(5, 10))
        layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, None))
        outputs = layer(inputs)
        model = keras.Model(inputs, outputs)
        out = model(np.ones((20, 5, 10)), training=True)
        self.assertAllClose(out.shape, (20, 5, 10))

    def test_dropout_in_sequential(self):
        model = keras.models.Sequential()
        model.add(keras.layers.Dense(3, input_shape=(4,)))
        model.add(keras.layers.Dropout(0.2))
        model.compile(loss="mse", optimizer="rmsprop", run_eagerly=test_utils.should_run_eagerly())
        model.fit(np.ones((2, 4)), np.ones((2, 3)), epochs=1, batch_size=1, verbose=0)

    def test_unbuilt_sequential(self):
        model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dropout(0.5)])
        model.compile(loss="mse", optimizer="sgd")
        x = np.random.random((8, 6)).astype(np.float32)
        model.fit(x, np.zeros((8, 2)), verbose=0)
