import keras
import keras_tuner as kt
import numpy as np

from mylib import Searcher

x_train = np.random.rand(64, 20)
y_train = np.random.randint(0, 2, 64)


def build_model(hp):
    model_inputs = keras.Input(shape=(20,))
    model_x = keras.layers.Dense(
        hp.Int("units", 8, 64, step=8), activation="relu"
    )(model_inputs)
    model_x = keras.layers.Dense(1, activation="sigmoid")(model_x)
    model = keras.Model(inputs=model_inputs, outputs=model_x)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def build_wide(hp):
    inputs = keras.Input(shape=(20,))
    x = keras.layers.Dense(hp.Int("units", 8, 64))(inputs)
    x = keras.layers.Dense(1)(x)
    return keras.Model(inputs=inputs, outputs=x)


def build_other(hp):
    return keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])


tuner = kt.Hyperband(build_model, objective="val_loss", max_epochs=3)
tuner.search(x_train, y_train, epochs=2, validation_split=0.2)
wide = kt.RandomSearch(hypermodel=build_wide, objective="val_loss", max_trials=2)
wide.search(x_train, y_train)
other = Searcher(build_other)
other.search(x_train, y_train)
