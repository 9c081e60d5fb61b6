"""Transfer learning & fine-tuning (keras.io/guides/transfer_learning): an augmentation block
applied to an Input whose shape is a constant."""

import keras
from keras import layers

IMG_SIZE = 150

data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])

base_model = keras.applications.Xception(weights=None, input_shape=(IMG_SIZE, IMG_SIZE, 3), include_top=False)
base_model.trainable = False

inputs = keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3))
x = data_augmentation(inputs)
scale_layer = keras.layers.Rescaling(scale=1 / 127.5, offset=-1)
x = scale_layer(x)
x = base_model(x, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
