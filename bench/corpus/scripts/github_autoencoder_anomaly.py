import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

df = pd.read_csv("creditcard.csv")
features = df.drop(["Time", "Class"], axis=1)
X = StandardScaler().fit_transform(features.values)
input_dim = X.shape[1]

autoencoder = keras.Sequential([
    keras.layers.Dense(14, activation="tanh", input_shape=(input_dim,)),
    keras.layers.Dense(7, activation="relu"),
    keras.layers.Dense(14, activation="tanh"),
    keras.layers.Dense(input_dim, activation="relu"),
])
autoencoder.compile(optimizer="adam", loss="mean_squared_error")
autoencoder.fit(X, X, epochs=10, batch_size=32, shuffle=True)
