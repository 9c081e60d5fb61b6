import numpy as np
import tensorflow as tf
from keras import Input, layers, Model

n_features = 20
X = np.random.rand(100, n_features)
y = np.random.randint(0, 2, size=(100,))
inputs = Input(shape=(20,))
x = layers.Dense(8, activation="relu")(inputs)
x = layers.Dense(1)(x)
reg = Model(inputs=inputs, outputs=x)
reg.compile("adam", "mse")
reg.fit(X, y, epochs=2)

images = np.zeros((10, 28, 28))
inputs = Input(shape=(28, 28, 1))
x = layers.Conv2D(4, 3)(inputs)
x = layers.Flatten()(x)
x = layers.Dense(2)(x)
conv = Model(inputs=inputs, outputs=x)
conv.predict(images[..., None])

ds = tf.data.Dataset.from_tensor_slices((np.ones((64, 12)), np.zeros((64, 3)))).shuffle(64).batch(8)
inputs = Input(shape=(12,))
x = layers.Dense(3)(inputs)
head = Model(inputs=inputs, outputs=x)
head.compile("adam", "mse")
head.fit(ds, epochs=1)
