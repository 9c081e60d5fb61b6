# shapes given by model name: each model takes its own
import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(4), layers.Dense(2)])
decoder = keras.Sequential([layers.Dense(4), layers.Dense(8)])
