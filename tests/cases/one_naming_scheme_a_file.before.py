import keras
from keras import layers

x = 3  # the file's own x: the model's tensors are named for it, both of them
model = keras.Sequential([layers.Dense(4, input_shape=(8,)), layers.Dense(1)])


def make_head():
    # another model in the file: its tensors are named for it too, though inputs and x are free here
    head = keras.Sequential([layers.Dense(2, input_shape=(4,))])
    return head
