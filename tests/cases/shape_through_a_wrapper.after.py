# a model handed to a wrapper that keeps its input (TF Model Optimization, clone_model): the
# data the wrapped model is fed gives the original's shape
import numpy as np
import tensorflow_model_optimization as tfmot
from tensorflow import keras

features = np.random.rand(32, 12).astype("float32")
model_inputs = keras.Input(shape=(12,))
model_x = keras.layers.Dense(8, activation="relu")(model_inputs)
model_x = keras.layers.Dense(1)(model_x)
model = keras.Model(inputs=model_inputs, outputs=model_x)
pruned = tfmot.sparsity.keras.prune_low_magnitude(model)
pruned.compile("adam", "mse")
pruned.fit(features, features[:, 0], epochs=1)

base_inputs = keras.Input(shape=(5,))
base_x = keras.layers.Dense(4)(base_inputs)
base_x = keras.layers.Dense(2)(base_x)
base = keras.Model(inputs=base_inputs, outputs=base_x)
annotated = tfmot.quantization.keras.quantize_annotate_model(base)
quantized = tfmot.quantization.keras.quantize_apply(annotated)
quantized.predict(np.zeros((3, 5)))

other = keras.Sequential([keras.layers.Dense(3)])
wrapped = my_wrapper(other)  # not a known wrapper: its data tells nothing about `other`
wrapped.fit(np.zeros((3, 7)), np.zeros(3))
