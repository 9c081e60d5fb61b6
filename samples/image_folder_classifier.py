"""Images from a folder, as keras.io's "image classification from scratch" loads them: the
model's input shape is nowhere but in the loader's image_size (seq2func reads it there;
the verifier stands in zeros of that size for the folder)."""

import keras
from keras import layers

IMAGE_SIZE = (64, 64)

train_ds = keras.utils.image_dataset_from_directory(
    "flower_photos", validation_split=0.2, subset="training", seed=1337, image_size=IMAGE_SIZE, batch_size=32
)
class_names = train_ds.class_names
train_ds = train_ds.prefetch(2)

model = keras.Sequential(
    [
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(len(class_names)),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=10)
