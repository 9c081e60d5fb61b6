import numpy as np
from tensorflow import keras
from tensorflow.keras import layers


class CFG:
    img_size = 64
    channels = 3
    num_classes = 6
    epochs = 5


x_train = np.random.rand(120, CFG.img_size, CFG.img_size, CFG.channels).astype("float32")
y_train = np.random.randint(0, CFG.num_classes, size=(120,))

model = keras.Sequential([
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(CFG.num_classes, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=CFG.epochs, batch_size=16)
