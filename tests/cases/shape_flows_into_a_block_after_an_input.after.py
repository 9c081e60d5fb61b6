import keras
from keras import layers

block_inputs = keras.Input(shape=(8,))
block_x = layers.Dense(4, activation="relu")(block_inputs)
block_x = layers.Dense(4)(block_x)
block = keras.Model(inputs=block_inputs, outputs=block_x)
model_inputs = keras.Input(shape=(6,))
model_x = layers.Dense(8)(model_inputs)
model_x = block(model_x)
model_x = layers.Dense(1)(model_x)
model = keras.Model(inputs=model_inputs, outputs=model_x)
