import numpy as np
import tensorflow as tf

SAMPLE_RATE = 16000
N_MELS = 64
FRAMES = 98

spectrograms = np.load("spectrograms.npy").reshape(-1, FRAMES, N_MELS, 1)
labels = np.load("labels.npy")

model = tf.keras.Sequential([
    tf.keras.layers.Resizing(32, 32),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.Conv2D(64, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Dropout(0.25),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(8),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(spectrograms, labels, epochs=10)
