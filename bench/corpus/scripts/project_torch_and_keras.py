"""A comparison script: a PyTorch Sequential and a Keras one side by side."""
import numpy as np
import torch
from torch import nn
from tensorflow import keras

x = np.random.rand(64, 10).astype("float32")

torch_model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
torch_out = torch_model(torch.from_numpy(x))

keras_model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
keras_out = keras_model(x)
