import numpy as np
import tensorflow as tf

n = 1000
numeric = np.random.rand(n, 6).astype("float32")
onehot = np.eye(4)[np.random.randint(0, 4, n)].astype("float32")
X = np.hstack([numeric, onehot])
y = np.random.rand(n, 1)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile("adam", "mse")
model.fit(X, y, epochs=2)

wide = tf.keras.Sequential([tf.keras.layers.Dense(1)])
wide.compile("adam", "mse")
wide.fit(np.concatenate([numeric, numeric ** 2], axis=1), y, epochs=2)
