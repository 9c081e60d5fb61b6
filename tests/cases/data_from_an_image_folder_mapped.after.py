import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class CFG:
    img_size = 96
    batch_size = 16


normalization_layer = layers.Rescaling(1.0 / 255)
train_ds = keras.utils.image_dataset_from_directory(
    "flower_photos", image_size=(CFG.img_size, CFG.img_size), batch_size=CFG.batch_size
)
train_ds = train_ds.map(lambda x, y: (normalization_layer(x), y), num_parallel_calls=tf.data.AUTOTUNE)
train_ds = train_ds.map(lambda x, y: (tf.image.resize(x, (CFG.img_size // 2, CFG.img_size // 2)), y))

inputs = keras.Input(shape=(48, 48, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
x = layers.Dense(5)(x)
model = keras.Model(inputs=inputs, outputs=x)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds.prefetch(tf.data.AUTOTUNE), epochs=3)
