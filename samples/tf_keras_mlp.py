"""A tf.keras add-chain with input_dim, as in many Keras 2 tutorials."""

import numpy as np
import tensorflow as tf

model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(32, activation='relu', input_dim=20))
model.add(tf.keras.layers.BatchNormalization())
model.add(tf.keras.layers.Dropout(0.2))
model.add(tf.keras.layers.Dense(1, activation='sigmoid'))
model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])

# Training follows the model; verification must not need it.
data = np.random.random((64, 20))
labels = np.random.randint(2, size=(64, 1))
model.fit(data, labels, epochs=2, batch_size=32, verbose=0)
