"""Hyperparameters in a dict, hidden layers from a comprehension (a common Kaggle pattern)."""

import numpy as np
import tensorflow as tf

CONFIG = {"hidden_units": [128, 64, 32], "dropout": 0.2, "lr": 1e-3, "epochs": 5}

rng = np.random.default_rng(42)
features = rng.normal(size=(1000, 24)).astype(np.float32)
labels = (features.sum(axis=1) > 0).astype(np.float32)


def build_classifier(config):
    model = tf.keras.Sequential([tf.keras.layers.Dense(u, activation="relu") for u in config["hidden_units"]])
    model.add(tf.keras.layers.Dropout(config["dropout"]))
    model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config["lr"]),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


clf = build_classifier(CONFIG)
history = clf.fit(features, labels, epochs=CONFIG["epochs"], validation_split=0.1, verbose=0)
print(history.history["val_accuracy"][-1])
