import numpy as np
import tensorflow as tf
from keras import Sequential, layers

n_features = 20
X = np.random.rand(100, n_features)
y = np.random.randint(0, 2, size=(100,))
reg = Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
reg.compile("adam", "mse")
reg.fit(X, y, epochs=2)

images = np.zeros((10, 28, 28))
conv = Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])
conv.predict(images[..., None])

ds = tf.data.Dataset.from_tensor_slices((np.ones((64, 12)), np.zeros((64, 3)))).shuffle(64).batch(8)
head = Sequential([layers.Dense(3)])
head.compile("adam", "mse")
head.fit(ds, epochs=1)
