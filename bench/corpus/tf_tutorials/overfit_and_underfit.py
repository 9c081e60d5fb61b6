"""Overfit and underfit (tensorflow.org): a dataset of packed features, models of growing size."""

import tensorflow as tf
from tensorflow.keras import layers, regularizers

FEATURES = 28
N_VALIDATION = int(1e3)
N_TRAIN = int(1e4)
BUFFER_SIZE = int(1e4)
BATCH_SIZE = 500

ds = tf.data.experimental.CsvDataset("HIGGS.csv.gz", [0.0] * (FEATURES + 1), compression_type="GZIP")


def pack_row(*row):
    label = row[0]
    features = tf.stack(row[1:], 1)
    return features, label


packed_ds = ds.batch(10000).map(pack_row).unbatch()
train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN).cache().shuffle(BUFFER_SIZE).repeat().batch(BATCH_SIZE)

tiny_model = tf.keras.Sequential(
    [
        layers.Dense(16, activation="elu", input_shape=(FEATURES,)),
        layers.Dense(1),
    ]
)

small_model = tf.keras.Sequential(
    [
        layers.Dense(16, activation="elu", input_shape=(FEATURES,)),
        layers.Dense(16, activation="elu"),
        layers.Dense(1),
    ]
)

l2_model = tf.keras.Sequential(
    [
        layers.Dense(
            512, activation="elu", kernel_regularizer=regularizers.l2(0.001), input_shape=(FEATURES,)
        ),
        layers.Dense(512, activation="elu", kernel_regularizer=regularizers.l2(0.001)),
        layers.Dense(1),
    ]
)
