"""Text classification from scratch (keras.io): vectorize in the tf.data pipeline, then a
model over integer sequences."""

import keras
import tensorflow as tf
from keras import layers

batch_size = 32
max_features = 20000
embedding_dim = 128
sequence_length = 500

raw_train_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="training", seed=1337
)

vectorize_layer = keras.layers.TextVectorization(
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
text_ds = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text)
train_ds = train_ds.cache().prefetch(buffer_size=10)

model = keras.Sequential(
    [
        layers.Embedding(max_features, embedding_dim),
        layers.Dropout(0.5),
        layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3),
        layers.GlobalMaxPooling1D(),
        layers.Dense(128, activation="relu"),
        layers.Dense(1, activation="sigmoid", name="predictions"),
    ]
)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(train_ds, epochs=3)
