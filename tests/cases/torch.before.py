import torch.nn as nn
model = nn.Sequential(nn.Linear(2, 3))
model.add_module("relu", nn.ReLU())
