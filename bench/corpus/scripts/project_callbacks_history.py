import numpy as np
import pandas as pd
import tensorflow as tf

train = pd.read_parquet("features.parquet")
FEATURES = ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"]
TARGET = "y"

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
callbacks = [tf.keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)]
history = model.fit(train[FEATURES].values, train[TARGET].values, validation_split=0.2, epochs=100, callbacks=callbacks)
pd.DataFrame(history.history).to_csv("history.csv")
