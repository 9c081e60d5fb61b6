"""A classification head on precomputed sentence embeddings saved as .npy files."""
import numpy as np
import tensorflow as tf

EMB_DIM = 384
train_x = np.load("train_embeddings.npy")
train_y = np.load("train_labels.npy")

head = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(EMB_DIM,)),
    tf.keras.layers.Dense(256, activation="relu"),
    tf.keras.layers.Dropout(0.1),
    tf.keras.layers.Dense(4, activation="softmax"),
])
head.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
head.fit(train_x, train_y, epochs=3)

probe = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="softmax")])
probe.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
probe.fit(train_x, train_y, epochs=3)
