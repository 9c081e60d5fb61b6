"""A project that defines its own Sequential container (never Keras's)."""
import numpy as np


class Sequential:
    def __init__(self, layers=None):
        self.layers = list(layers or [])

    def add(self, layer):
        self.layers.append(layer)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


pipeline = Sequential([np.tanh, np.abs])
pipeline.add(np.sqrt)
print(pipeline(np.linspace(-1, 1, 5)))
