"""An Embedding + LSTM text classifier (Keras 2 style: input_length on the Embedding)."""

from tensorflow.keras.layers import LSTM, Dense, Embedding
from tensorflow.keras.models import Sequential

max_features = 500
maxlen = 20

model = Sequential(name="imdb_lstm")
model.add(Embedding(max_features, 16, input_length=maxlen))
model.add(LSTM(16, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
