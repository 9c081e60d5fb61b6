from keras.models import Sequential
from keras.layers import Dense
m = Sequential()
m.add(Dense(2, input_shape=(3,)))
m.summary()
m.add(Dense(1))
