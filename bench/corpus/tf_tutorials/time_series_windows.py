"""Time series forecasting (tensorflow.org): models fit on windows a class makes."""

import numpy as np
import pandas as pd
import tensorflow as tf

df = pd.read_csv("jena_climate_2009_2016.csv")
column_indices = {name: i for i, name in enumerate(df.columns)}
n = len(df)
train_df = df[0 : int(n * 0.7)]
num_features = df.shape[1]


class WindowGenerator:
    def __init__(self, input_width, label_width, shift, train_df=train_df):
        self.train_df = train_df
        self.input_width = input_width

    def make_dataset(self, data):
        data = np.array(data, dtype=np.float32)
        return tf.keras.utils.timeseries_dataset_from_array(
            data=data, targets=None, sequence_length=self.input_width, batch_size=32
        )

    @property
    def train(self):
        return self.make_dataset(self.train_df)


single_step_window = WindowGenerator(input_width=1, label_width=1, shift=1)
linear = tf.keras.Sequential([tf.keras.layers.Dense(units=1)])
dense = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(units=64, activation="relu"),
        tf.keras.layers.Dense(units=64, activation="relu"),
        tf.keras.layers.Dense(units=1),
    ]
)
lstm_model = tf.keras.models.Sequential(
    [
        tf.keras.layers.LSTM(32, return_sequences=True),
        tf.keras.layers.Dense(units=1),
    ]
)
OUT_STEPS = 24
multi_linear_model = tf.keras.Sequential(
    [
        tf.keras.layers.Lambda(lambda x: x[:, -1:, :]),
        tf.keras.layers.Dense(OUT_STEPS * num_features, kernel_initializer=tf.initializers.zeros()),
        tf.keras.layers.Reshape([OUT_STEPS, num_features]),
    ]
)


def compile_and_fit(model, window, patience=2):
    model.compile(loss=tf.keras.losses.MeanSquaredError(), optimizer=tf.keras.optimizers.Adam())
    return model.fit(window.train, epochs=20)


history = compile_and_fit(dense, single_step_window)
