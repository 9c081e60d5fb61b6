import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.body = keras.Sequential([layers.Dense(units, activation="relu"), layers.Dense(units)])

    def call(self, x):
        return x + self.body(x)


mlp_head = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(1)])


class Net(keras.Model):
    def call(self, a, b):
        return mlp_head(a) + mlp_head(b)
