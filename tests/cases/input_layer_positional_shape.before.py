import keras
m = keras.Sequential([keras.layers.InputLayer((28, 28, 11)), keras.layers.Flatten()])
