from tensorflow_model_optimization.python.core.keras.compat import keras

inputs = keras.Input(shape=(5,))
x = keras.layers.Dense(2)(inputs)
pruned = keras.Model(inputs=inputs, outputs=x)
