"""A text classifier fed multi-hot vectors that a helper of the file builds (the way
Deep Learning with Python's IMDB listing writes it; here on random reviews, no download)."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

VOCABULARY = 1000
rng = np.random.default_rng(0)
train_data = [rng.integers(1, VOCABULARY, size=rng.integers(5, 50)) for _ in range(64)]
train_labels = rng.integers(0, 2, size=64)


def vectorize_sequences(sequences, dimension=VOCABULARY):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.0
    return results


x_train = vectorize_sequences(train_data)
y_train = np.asarray(train_labels).astype("float32")

model = keras.Sequential(
    [
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
