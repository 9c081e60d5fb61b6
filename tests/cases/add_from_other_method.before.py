from keras.models import Sequential
from keras.layers import Dense
class A:
    def __init__(self):
        self.model = Sequential()
        self.model.add(Dense(2, input_shape=(3,)))
    def grow(self):
        self.model.add(Dense(1))
