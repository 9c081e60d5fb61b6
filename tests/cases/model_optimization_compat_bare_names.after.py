from tensorflow_model_optimization.python.core.keras.compat import keras

Sequential = keras.Sequential
layers = keras.layers

inputs = keras.Input(shape=(3,))
x = layers.Dense(4)(inputs)
x = layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)
