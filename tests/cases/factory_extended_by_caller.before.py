from keras.models import Sequential
from keras.layers import Dense
def base():
    m = Sequential()
    m.add(Dense(2, input_shape=(3,)))
    return m
b = base()
b.add(Dense(1))
