from keras.models import Sequential
from keras.layers import Dense, InputLayer
def build(deep):
    m = Sequential()
    m.add(InputLayer(input_shape=(4,)))
    if deep:
        m.add(Dense(8))
    m.add(Dense(1))
    return m
