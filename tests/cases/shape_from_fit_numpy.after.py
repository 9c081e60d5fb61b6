import numpy as np
import tensorflow as tf
from keras import Input, Model, layers

n_features = 20
X = np.random.rand(100, n_features)
y = np.random.randint(0, 2, size=(100,))
reg_inputs = Input(shape=(20,))
reg_x = layers.Dense(8, activation="relu")(reg_inputs)
reg_x = layers.Dense(1)(reg_x)
reg = Model(inputs=reg_inputs, outputs=reg_x)
reg.compile("adam", "mse")
reg.fit(X, y, epochs=2)

images = np.zeros((10, 28, 28))
conv_inputs = Input(shape=(28, 28, 1))
conv_x = layers.Conv2D(4, 3)(conv_inputs)
conv_x = layers.Flatten()(conv_x)
conv_x = layers.Dense(2)(conv_x)
conv = Model(inputs=conv_inputs, outputs=conv_x)
conv.predict(images[..., None])

ds = tf.data.Dataset.from_tensor_slices((np.ones((64, 12)), np.zeros((64, 3)))).shuffle(64).batch(8)
head_inputs = Input(shape=(12,))
head_x = layers.Dense(3)(head_inputs)
head = Model(inputs=head_inputs, outputs=head_x)
head.compile("adam", "mse")
head.fit(ds, epochs=1)
