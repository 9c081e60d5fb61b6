"""Sentiment of movie reviews, as TensorFlow's text classification tutorial writes it: a
folder of texts, a TextVectorization layer mapped over the dataset, then a Sequential that
never says its input shape. seq2func reads it from the pipeline: (sequence_length,) tokens."""

import re
import string

import tensorflow as tf
from tensorflow.keras import layers, losses

batch_size = 32
seed = 42
max_features = 10000
sequence_length = 250
embedding_dim = 16

raw_train_ds = tf.keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="training", seed=seed
)


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")


vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
train_text = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(train_text)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text)
train_ds = train_ds.cache().prefetch(buffer_size=tf.data.AUTOTUNE)

model = tf.keras.Sequential(
    [
        layers.Embedding(max_features, embedding_dim),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(loss=losses.BinaryCrossentropy(), optimizer="adam", metrics=["accuracy"])
history = model.fit(train_ds, epochs=10)
