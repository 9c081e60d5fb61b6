import tensorflow as tf

IMG = 128
backbone = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
])
age_head = tf.keras.Sequential([tf.keras.layers.Dense(32, activation="relu"), tf.keras.layers.Dense(1)], name="age")
gender_head = tf.keras.Sequential([tf.keras.layers.Dense(32, activation="relu"), tf.keras.layers.Dense(1, activation="sigmoid")], name="gender")

inputs = tf.keras.Input(shape=(IMG, IMG, 3))
features = backbone(inputs)
model = tf.keras.Model(inputs, [age_head(features), gender_head(features)])
