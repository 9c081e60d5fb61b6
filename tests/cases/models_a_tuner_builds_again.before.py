# the models a tuner builds again with its function (its best ones after a search run
# elsewhere, or one built from the best hyperparameters) are fed arrays that give the
# function's model its shape; data of a shape the code does not show still tells nothing
import keras
import keras_tuner as kt
import numpy as np

from mylib import load_dataset

x_test = np.zeros((16, 12), dtype="float32")
y_test = np.zeros(16)


def build_model(hp):
    model = keras.Sequential()
    model.add(keras.layers.Dense(hp.Int("units", 8, 32, step=8), activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer="adam", loss="mse")
    return model


def build_wide(hp):
    return keras.Sequential([keras.layers.Dense(hp.Int("units", 8, 64)), keras.layers.Dense(1)])


def build_unsized(hp):
    return keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])


tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=2, overwrite=False)
tuner.reload()  # the search ran before
best = tuner.get_best_models(num_models=1)[0]
best.evaluate(x_test, y_test)

wide = kt.Hyperband(hypermodel=build_wide, objective="val_loss", max_epochs=2)
best_hps = wide.get_best_hyperparameters(1)[0]
again = wide.hypermodel.build(best_hps)
again.fit(np.zeros((8, 5)), np.zeros(8), epochs=1)

unsized = kt.RandomSearch(build_unsized, objective="val_loss", max_trials=2)
unsized.search(load_dataset("train"), epochs=2)
unsized.get_best_models(1)[0].evaluate(x_test, y_test)
