"""An MLP factory whose adds sit under if/for: the control flow is kept."""

from keras import Sequential
from keras.layers import Dense, Dropout


def build_mlp(n_features, hidden=(32, 16), dropout=0.0, n_out=1):
    model = Sequential(name="mlp")
    model.add(Dense(hidden[0], activation="relu", input_shape=(n_features,)))
    for units in hidden[1:]:
        model.add(Dense(units, activation="relu"))
        if dropout:
            model.add(Dropout(dropout))
    model.add(Dense(n_out))
    return model


mlp = build_mlp(8, hidden=(16, 8, 4), dropout=0.1)
