"""Structured data classification (keras.io): a CSV read with pandas, features as a dict."""

import keras
import pandas as pd
from keras import layers

file_url = "heart.csv"
dataframe = pd.read_csv(file_url)
val_dataframe = dataframe.sample(frac=0.2, random_state=1337)
train_dataframe = dataframe.drop(val_dataframe.index)

x_train = train_dataframe.drop(columns=["target"]).to_numpy()
y_train = train_dataframe["target"].to_numpy()

model = keras.Sequential(
    [
        layers.Dense(32, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=50)
