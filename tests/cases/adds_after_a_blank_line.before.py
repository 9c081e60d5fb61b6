# the Input takes the empty constructor's place: no blank line is left at the top of the body
import keras
from keras.models import Sequential
from keras.layers import Dense


def build():
    model = Sequential()

    model.add(Dense(4, input_dim=8))

    model.add(Dense(1))

    return model
