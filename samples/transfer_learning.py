"""Transfer learning (TensorFlow tutorial style): a pretrained base model first, then a new head.
The Sequential shows no input shape; the base model's input_shape= gives it.
(weights=None keeps this sample offline; the tutorial uses weights="imagenet".)"""

import tensorflow as tf

IMG_SHAPE = (32, 32, 3)
base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights=None, alpha=0.35)
base_model.trainable = False

model = tf.keras.Sequential([
    base_model,
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(1),
])

if __name__ == "__main__":
    model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
    model.summary()
