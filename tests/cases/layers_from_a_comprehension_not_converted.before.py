from tensorflow import keras
from tensorflow.keras import layers

sizes = [32, 16]
every_one_shaped = keras.Sequential([layers.Dense(n, input_shape=(4,)) for n in sizes])
no_shape = keras.Sequential([layers.Dense(n) for n in sizes])
inputs_made = keras.Sequential([keras.Input(shape=(n,)) for n in sizes])
