import numpy as np
import pandas as pd
from keras.layers import LSTM, Dense
from keras.models import Sequential

series = pd.read_csv("airline.csv")["passengers"].values
window = 12
X = np.array([series[i : i + window] for i in range(len(series) - window)])
X = X.reshape((X.shape[0], window, 1))
y = series[window:]
model = Sequential()
model.add(LSTM(50, activation="relu"))
model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=200, verbose=0)
