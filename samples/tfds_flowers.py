"""Flowers from TensorFlow Datasets, as the image tutorials write it: examples of varying
size, resized and rescaled in the pipeline, then a Sequential that never says its input.
seq2func reads (180, 180, 3) from tfds.load and the map; --verify runs it offline (four
examples of zeros stand in for the download)."""

import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow.keras import layers

IMG_SIZE = 180
batch_size = 32
AUTOTUNE = tf.data.AUTOTUNE

(train_ds, val_ds), metadata = tfds.load(
    "tf_flowers",
    split=["train[:80%]", "train[80%:]"],
    with_info=True,
    as_supervised=True,
)
num_classes = metadata.features["label"].num_classes


def resize_and_rescale(image, label):
    image = tf.cast(image, tf.float32)
    image = tf.image.resize(image, [IMG_SIZE, IMG_SIZE])
    image = image / 255.0
    return image, label


train_ds = train_ds.map(resize_and_rescale, num_parallel_calls=AUTOTUNE).shuffle(1000).batch(batch_size)
train_ds = train_ds.prefetch(AUTOTUNE)

model = tf.keras.Sequential(
    [
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.GlobalAveragePooling2D(),
        layers.Dense(64, activation="relu"),
        layers.Dense(num_classes),
    ]
)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_ds, epochs=5)
