from tf_keras.models import Sequential
from tf_keras.layers import LSTM, Dense
model = Sequential()
model.add(LSTM(4, batch_input_shape=(1, 5, 2), stateful=True, dtype="float64"))
model.add(Dense(1))
