"""KerasTuner's getting started: a hypermodel function and a hypermodel class."""
import keras
import keras_tuner
import numpy as np
from keras import layers

(x, y), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x[:-10000]
y_train = y[:-10000]
x_val = x[-10000:]
y_val = y[-10000:]
x_train = np.expand_dims(x_train, -1).astype("float32") / 255.0
x_val = np.expand_dims(x_val, -1).astype("float32") / 255.0


def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten())
    for i in range(hp.Int("num_layers", 1, 3)):
        model.add(layers.Dense(units=hp.Int(f"units_{i}", min_value=32, max_value=512, step=32), activation=hp.Choice("activation", ["relu", "tanh"])))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


class MyHyperModel(keras_tuner.HyperModel):
    def build(self, hp):
        model = keras.Sequential()
        model.add(layers.Flatten())
        model.add(layers.Dense(units=hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"))
        model.add(layers.Dense(10, activation="softmax"))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        return model


tuner = keras_tuner.RandomSearch(hypermodel=build_model, objective="val_accuracy", max_trials=3, overwrite=True)
tuner.search(x_train, y_train, epochs=2, validation_data=(x_val, y_val))
