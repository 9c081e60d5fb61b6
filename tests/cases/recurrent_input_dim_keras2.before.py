from keras.layers import GRU, LSTM, Dense
from keras.models import Sequential

model = Sequential()
model.add(LSTM(32, input_dim=4))
model.add(Dense(1))

tagger = Sequential([GRU(8, input_dim=3, input_length=10, return_sequences=True), Dense(2)])
