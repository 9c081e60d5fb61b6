import numpy as np
import keras
from keras import layers

widths = [16, 8]
# the image, flattened
mlp_inputs = keras.Input(shape=(4, 4))
mlp_x = layers.Flatten()(mlp_inputs)
for layer in [layers.Dense(w, activation="relu") for w in widths]:
    mlp_x = layer(mlp_x)
mlp_x = layers.Dense(3)(mlp_x)
mlp_x = layers.Softmax()(mlp_x)
mlp = keras.Model(inputs=mlp_inputs, outputs=mlp_x)

head_inputs = keras.Input(shape=(5,))
head_x = head_inputs
for layer in [layers.Dense(w) for w in widths]:
    head_x = layer(head_x)
head_x = layers.Dense(1)(head_x)
head = keras.Model(inputs=head_inputs, outputs=head_x)
head.fit(np.zeros((8, 5)), np.zeros((8, 1)))

typed_inputs = keras.Input(shape=(6,))
typed_x = typed_inputs
for layer in [layers.Dense(w) for w in widths]:
    typed_x = layer(typed_x)
typed = keras.Model(inputs=typed_inputs, outputs=typed_x)

nested_inputs = keras.Input(shape=(3,))
nested_x = layers.Dense(4)(nested_inputs)
nested_x = keras.Sequential([layers.Dense(4), layers.ReLU()])(nested_x)
for layer in [layers.Dense(w) for w in widths]:
    nested_x = layer(nested_x)
nested = keras.Model(inputs=nested_inputs, outputs=nested_x)
