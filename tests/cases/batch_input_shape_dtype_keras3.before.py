from keras.models import Sequential
from keras.layers import LSTM, Dense
model = Sequential()
model.add(LSTM(4, batch_input_shape=(1, 5, 2), stateful=True, dtype="float32"))
model.add(Dense(1))
