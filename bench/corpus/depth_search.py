"""Trying networks of several depths: hidden layers added in a loop."""

from keras.layers import Dense
from keras.models import Sequential


def make_model(n_features=20):
    model = Sequential()
    for _ in range(3):
        model.add(Dense(32, activation="relu", input_dim=n_features))
    model.add(Dense(1))
    model.compile(optimizer="adam", loss="mse")
    return model


deep = Sequential()
for _ in range(4):
    deep.add(Dense(16, activation="relu", input_dim=8))
deep.add(Dense(1, activation="sigmoid"))
