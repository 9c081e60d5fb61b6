import keras
from keras import layers

x = 3  # the file's own x: the model's tensors are named for it, both of them
model_inputs = keras.Input(shape=(8,))
model_x = layers.Dense(4)(model_inputs)
model_x = layers.Dense(1)(model_x)
model = keras.Model(inputs=model_inputs, outputs=model_x)


def make_head():
    # another model in the file: its tensors are named for it too, though inputs and x are free here
    head_inputs = keras.Input(shape=(4,))
    head_x = layers.Dense(2)(head_inputs)
    head = keras.Model(inputs=head_inputs, outputs=head_x)
    return head
