"""Reading and freezing layers by index: `model.layers[0]` is the first Dense here, and
`layers[1]` once the model is functional (it lists its InputLayer first)."""

from tensorflow import keras

model = keras.Sequential(
    [
        keras.layers.Dense(32, activation="relu", input_shape=(20,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ]
)
first_weights = model.layers[0].get_weights()
model.layers[0].trainable = False
model.compile(optimizer="adam", loss="mse")
