from keras.models import Sequential
from keras.layers import Embedding, Flatten, Dense
model = Sequential()
model.add(Embedding(input_dim=100, output_dim=8, input_length=12))
model.add(Flatten())
model.add(Dense(1))
