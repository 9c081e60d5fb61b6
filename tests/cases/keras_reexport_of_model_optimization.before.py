from tensorflow_model_optimization.python.core.keras.compat import keras

pruned = keras.Sequential()
pruned.add(keras.layers.Dense(2, input_shape=(5,)))
