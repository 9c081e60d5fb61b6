import numpy as np
import tensorflow as tf

features = np.random.normal(size=(256, 6)).astype("float32")
labels = np.random.randint(0, 3, size=(256,))
train_ds = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(256).batch(32).prefetch(2)
classifier = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(3)])
classifier.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
classifier.fit(train_ds, epochs=3)
