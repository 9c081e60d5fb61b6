import keras
from keras import layers

IMG_SIZE = 32
IMG_SHAPE = (IMG_SIZE, IMG_SIZE) + (3,)

data_augmentation_inputs = keras.Input(shape=IMG_SHAPE)
data_augmentation_x = layers.RandomFlip("horizontal")(data_augmentation_inputs)
data_augmentation_x = layers.RandomRotation(0.1)(data_augmentation_x)
data_augmentation = keras.Model(
    inputs=data_augmentation_inputs, outputs=data_augmentation_x
)

inputs = keras.Input(shape=IMG_SHAPE)
x = data_augmentation(inputs)
x = layers.Rescaling(1.0 / 255)(x)
outputs = layers.Dense(1)(layers.Flatten()(x))
model = keras.Model(inputs, outputs)
