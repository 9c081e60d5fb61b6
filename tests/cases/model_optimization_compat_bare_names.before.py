from tensorflow_model_optimization.python.core.keras.compat import keras

Sequential = keras.Sequential
layers = keras.layers

model = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
