"""A project's training module: models built from a settings dataclass."""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf


@dataclass
class Settings:
    n_features: int = 30
    hidden: int = 64
    dropout: float = 0.1


SETTINGS = Settings()


def make_classifier(settings: Settings = SETTINGS) -> tf.keras.Model:
    return tf.keras.Sequential(
        [
            tf.keras.layers.Input(shape=(settings.n_features,)),
            tf.keras.layers.Dense(settings.hidden, activation="relu"),
            tf.keras.layers.Dropout(settings.dropout),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def make_regressor() -> tf.keras.Model:
    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Dense(SETTINGS.hidden, activation="relu"))
    model.add(tf.keras.layers.Dense(1))
    return model


if __name__ == "__main__":
    features = np.random.rand(256, SETTINGS.n_features)
    model = make_regressor()
    model.compile("adam", "mse")
    model.fit(features, np.random.rand(256), epochs=2)
