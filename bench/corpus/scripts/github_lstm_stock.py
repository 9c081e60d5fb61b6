import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense, Dropout

WINDOW = 60
data = pd.read_csv("AAPL.csv")["Close"].values.reshape(-1, 1)
scaler = MinMaxScaler(feature_range=(0, 1))
scaled = scaler.fit_transform(data)

x_train, y_train = [], []
for i in range(WINDOW, len(scaled)):
    x_train.append(scaled[i - WINDOW:i, 0])
    y_train.append(scaled[i, 0])
x_train, y_train = np.array(x_train), np.array(y_train)
x_train = np.reshape(x_train, (x_train.shape[0], x_train.shape[1], 1))

model = Sequential()
model.add(LSTM(units=50, return_sequences=True, input_shape=(x_train.shape[1], 1)))
model.add(Dropout(0.2))
model.add(LSTM(units=50))
model.add(Dense(units=1))
model.compile(optimizer="adam", loss="mean_squared_error")
model.fit(x_train, y_train, epochs=25, batch_size=32)

model2 = Sequential([LSTM(32), Dense(1)])
model2.compile(optimizer="adam", loss="mse")
model2.fit(x_train, y_train, epochs=5)
