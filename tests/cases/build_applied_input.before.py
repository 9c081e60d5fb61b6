from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(4))
model.add(Dense(1))
model.build((None, 7))
model.summary()
