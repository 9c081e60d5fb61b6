"""Vision Transformer on small datasets (keras.io style): hyperparameters as module
constants, the augmentation block applied inside a model-building function."""

import keras
from keras import layers

NUM_CLASSES = 100
INPUT_SHAPE = (32, 32, 3)
IMAGE_SIZE = 72
PATCH_SIZE = 6
NUM_PATCHES = (IMAGE_SIZE // PATCH_SIZE) ** 2
PROJECTION_DIM = 64
NUM_HEADS = 4
TRANSFORMER_UNITS = [PROJECTION_DIM * 2, PROJECTION_DIM]

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()

data_augmentation = keras.Sequential(
    [
        layers.Normalization(),
        layers.Resizing(IMAGE_SIZE, IMAGE_SIZE),
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(factor=0.02),
        layers.RandomZoom(height_factor=0.2, width_factor=0.2),
    ],
    name="data_augmentation",
)
data_augmentation.layers[0].adapt(x_train)


def mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def create_vit_classifier():
    inputs = layers.Input(shape=INPUT_SHAPE)
    augmented = data_augmentation(inputs)
    x = layers.Flatten()(augmented)
    x = mlp(x, hidden_units=TRANSFORMER_UNITS, dropout_rate=0.5)
    logits = layers.Dense(NUM_CLASSES)(x)
    return keras.Model(inputs=inputs, outputs=logits)
