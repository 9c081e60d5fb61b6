from keras.models import Sequential
from keras.layers import Dense
m = Sequential([Dense(2), Dense(1)])
