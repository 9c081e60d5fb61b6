import tensorflow as tf

model_inputs = tf.keras.layers.Input(shape=(28, 28))
model_x = tf.keras.layers.Flatten()(model_inputs)
model_x = tf.keras.layers.Dense(128, activation='relu')(model_x)
model_x = tf.keras.layers.Dense(10)(model_x)
model = tf.keras.models.Model(inputs=model_inputs, outputs=model_x)
probability_model_inputs = tf.keras.layers.Input(shape=(28, 28))
probability_model_x = model(probability_model_inputs)
probability_model_x = tf.keras.layers.Softmax()(probability_model_x)
probability_model = tf.keras.models.Model(
    inputs=probability_model_inputs, outputs=probability_model_x
)
