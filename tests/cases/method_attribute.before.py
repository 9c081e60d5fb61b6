from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense


class Net:
    def __init__(self, n):
        self.model = Sequential()
        self.model.add(Dense(16, activation="relu", input_shape=(n,)))
        self.model.add(Dense(1))

    def predict(self, x):
        return self.model.predict(x)
