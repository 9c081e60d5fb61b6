"""Timeseries forecasting for weather prediction (keras.io): data from a CSV, windows made
by timeseries_dataset_from_array, a functional LSTM and a Sequential baseline."""

import keras
import pandas as pd

csv_path = "jena_climate_2009_2016.csv"
df = pd.read_csv(csv_path)
split_fraction = 0.715
train_split = int(split_fraction * int(df.shape[0]))
step = 6
past = 720
future = 72
batch_size = 256
sequence_length = int(past / step)

features = df[["T (degC)", "p (mbar)", "rho (g/m**3)"]]
train_data = features.loc[0 : train_split - 1]
x_train = train_data.values
y_train = features.iloc[past + future :][["T (degC)"]]

dataset_train = keras.preprocessing.timeseries_dataset_from_array(
    x_train, y_train, sequence_length=sequence_length, sampling_rate=step, batch_size=batch_size
)

model = keras.Sequential(
    [
        keras.layers.LSTM(32),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
model.fit(dataset_train, epochs=10)
