"""A siamese network: one Sequential tower applied to both inputs (the seed's pattern)."""
from tensorflow import keras
from tensorflow.keras import layers, backend as K

input_shape = (105, 105, 1)

tower = keras.Sequential([
    layers.Conv2D(64, (10, 10), activation="relu", input_shape=input_shape),
    layers.MaxPooling2D(),
    layers.Conv2D(128, (7, 7), activation="relu"),
    layers.Flatten(),
    layers.Dense(4096, activation="sigmoid"),
])

left_input = keras.Input(input_shape)
right_input = keras.Input(input_shape)
encoded_l = tower(left_input)
encoded_r = tower(right_input)
L1_distance = layers.Lambda(lambda tensors: K.abs(tensors[0] - tensors[1]))([encoded_l, encoded_r])
prediction = layers.Dense(1, activation="sigmoid")(L1_distance)
siamese_net = keras.Model(inputs=[left_input, right_input], outputs=prediction)
