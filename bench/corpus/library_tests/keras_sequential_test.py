"""Modelled on keras/src/models/sequential_test.py: many tiny models, built many ways."""
import numpy as np
import pytest

from keras.src import backend
from keras.src import layers
from keras.src import testing
from keras.src.layers.core.input_layer import Input
from keras.src.models.functional import Functional
from keras.src.models.model import Model
from keras.src.models.sequential import Sequential


class SequentialTest(testing.TestCase):
    def test_basic_flow_with_input(self):
        model = Sequential(name="seq")
        model.add(Input(shape=(2,), batch_size=3))
        model.add(layers.Dense(4))
        model.add(layers.Dense(5))
        model.summary()
        self.assertEqual(len(model.layers), 2)
        x = np.random.random((3, 2))
        y = model(x)
        self.assertEqual(type(model._functional), Functional)
        self.assertEqual(y.shape, (3, 5))

    def test_basic_flow_deferred(self):
        model = Sequential(name="seq")
        model.add(layers.Dense(4))
        model.add(layers.Dense(5))
        model.summary()
        self.assertEqual(len(model.layers), 2)
        x = np.random.random((3, 2))
        y = model(x)
        self.assertTrue(model.built)
        self.assertEqual(y.shape, (3, 5))

    def test_basic_flow_as_a_submodel(self):
        inputs = Input((None, 4))
        model = Sequential()
        model.add(layers.Flatten())
        model.add(layers.Dense(5))
        outputs = layers.TimeDistributed(model)(inputs)
        model = Model(inputs=inputs, outputs=outputs)
        x = np.random.random((2, 3, 4))
        y = model(x)
        self.assertEqual(y.shape, (2, 3, 5))

    def test_list_inputs(self):
        model = Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2)])
        x = np.random.random((1, 4))
        y = model(x)
        self.assertEqual(y.shape, (1, 2))

    def test_pop(self):
        model = Sequential()
        model.add(Input(shape=(4,), batch_size=2))
        model.add(layers.Dense(3))
        model.add(layers.Dense(2))
        model.pop()
        self.assertEqual(len(model.layers), 1)

    def test_serialization(self):
        model = Sequential(name="seq")
        model.add(layers.Dense(4))
        model.add(layers.Dense(5))
        revived = self.run_class_serialization_test(model)
        self.assertLen(revived.layers, 2)
