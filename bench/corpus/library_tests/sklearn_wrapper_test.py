"""Modelled on scikeras's tests: model builders handed to the wrappers, meta-driven inputs."""
import numpy as np
from sklearn.datasets import make_classification, make_regression
from tensorflow import keras

from scikeras.wrappers import KerasClassifier, KerasRegressor


def dynamic_classifier(meta):
    n_features_in_ = meta["n_features_in_"]
    n_classes_ = meta["n_classes_"]
    model = keras.models.Sequential()
    model.add(keras.layers.Input(shape=(n_features_in_,)))
    model.add(keras.layers.Dense(10, activation="relu"))
    model.add(keras.layers.Dense(n_classes_, activation="softmax"))
    return model


def dynamic_regressor(hidden_layer_sizes=(100,)):
    model = keras.Sequential()
    for size in hidden_layer_sizes:
        model.add(keras.layers.Dense(size, activation="relu"))
    model.add(keras.layers.Dense(1))
    return model


def test_regression():
    X, y = make_regression(n_samples=100, n_features=8)
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(X, y, epochs=1)


def test_classification():
    X, y = make_classification(n_samples=50, n_features=6, n_informative=3)
    clf = KerasClassifier(model=dynamic_classifier, loss="sparse_categorical_crossentropy")
    clf.fit(X, y)
