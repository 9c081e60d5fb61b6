import tensorflow as tf

EMBEDDING_DIM = 64
IMAGE_SHAPE = (64, 64, 3)


def embedding_network():
    return tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPool2D(),
            tf.keras.layers.Conv2D(64, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(EMBEDDING_DIM),
            tf.keras.layers.Lambda(lambda x: tf.math.l2_normalize(x, axis=1)),
        ],
        name="embedding",
    )


embedder = embedding_network()
anchor = tf.keras.Input(IMAGE_SHAPE, name="anchor")
positive = tf.keras.Input(IMAGE_SHAPE, name="positive")
negative = tf.keras.Input(IMAGE_SHAPE, name="negative")
outputs = [embedder(anchor), embedder(positive), embedder(negative)]
model = tf.keras.Model([anchor, positive, negative], tf.keras.layers.Concatenate()(outputs))
