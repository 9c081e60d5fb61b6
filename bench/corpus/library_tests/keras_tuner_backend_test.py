"""Modelled on keras-tuner's tests: Keras reached through keras_tuner.backend."""
import numpy as np
import pytest

import keras_tuner
from keras_tuner.backend import keras
from keras_tuner.engine import hyperparameters as hp_module

INPUT_DIM = 2
NUM_CLASSES = 3


def build_model(hp):
    model = keras.Sequential(
        [
            keras.layers.Dense(hp.Int("units", 100, 1000, 100), input_shape=(INPUT_DIM,), activation="relu"),
            keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile("rmsprop", "mse", metrics=["accuracy"])
    return model


def test_tuning_correctness(tmp_path):
    x = np.random.rand(10, INPUT_DIM)
    y = np.random.rand(10, NUM_CLASSES)
    tuner = keras_tuner.RandomSearch(hypermodel=build_model, objective="val_loss", max_trials=2, directory=tmp_path)
    tuner.search(x, y, epochs=1, validation_data=(x, y))


def test_simple_sequential():
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(np.ones((6, 3)), np.ones((6, 1)), verbose=0)
