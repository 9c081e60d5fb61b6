import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

sizes = [32, 16]
mlp_inputs = keras.Input(shape=(4,))
mlp_x = mlp_inputs
for layer_2 in [layers.Dense(n, activation="relu") for n in sizes]:
    mlp_x = layer_2(mlp_x)
mlp = keras.Model(inputs=mlp_inputs, outputs=mlp_x)

gen_inputs = keras.Input(shape=(3,))
gen_x = gen_inputs
for layer_2 in (layers.Dense(n) for n in (8, 4)):
    gen_x = layer_2(gen_x)
gen_x = layers.Dense(1)(gen_x)
gen = keras.Model(inputs=gen_inputs, outputs=gen_x)


def make(hidden):
    model_inputs = keras.Input(shape=(5,))
    model_x = model_inputs
    for layer in [
        layers.Dense(units, activation="relu") for units in hidden  # one per width
    ]:
        model_x = layer(model_x)
    model_x = layers.Dense(1)(model_x)
    model = keras.Model(inputs=model_inputs, outputs=model_x, name="mlp")
    model.compile("adam", "mse")
    model.fit(np.zeros((8, 5)), np.zeros((8, 1)), epochs=1, verbose=0)
    return model


layer = "a name the loop must not take"
inputs = keras.Input(shape=(6,))
head_inputs = keras.Input(shape=(6,))
head_x = head_inputs
for layer_2 in [layers.Dense(n) for n in sizes]:
    head_x = layer_2(head_x)
head = keras.Model(inputs=head_inputs, outputs=head_x)
outputs = head(inputs)

# hidden layers
# one per width
# the name
commented_inputs = keras.Input(shape=(3,))
commented_x = commented_inputs
for layer_2 in [layers.Dense(u) for u in sizes]:
    commented_x = layer_2(commented_x)
commented = keras.Model(inputs=commented_inputs, outputs=commented_x, name="commented")
