# one bare input shape for two models that need one: given to neither, each told to name its own
import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(4), layers.Dense(2)])
decoder = keras.Sequential([layers.Dense(4), layers.Dense(8)])
