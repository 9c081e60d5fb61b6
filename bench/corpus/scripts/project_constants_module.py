import tensorflow as tf

SEQ_LEN = 48
N_FEATURES = 7
HORIZON = 12
INPUT_SHAPE = (SEQ_LEN, N_FEATURES)

forecaster = tf.keras.Sequential(
    [
        tf.keras.layers.Conv1D(32, 3, activation="relu"),
        tf.keras.layers.LSTM(64),
        tf.keras.layers.Dense(HORIZON),
    ]
)
inputs = tf.keras.Input(shape=INPUT_SHAPE)
outputs = forecaster(inputs)
wrapper = tf.keras.Model(inputs, outputs)
