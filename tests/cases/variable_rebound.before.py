from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(3, input_shape=(4,)))
model.compile(loss="mse")
model = Sequential()
model.add(Dense(3, input_shape=(5,)))
model.add(Dense(2))
