from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(8,  # 8 units
                activation='relu',  # relu beat gelu here
                input_shape=(4,)))  # the shape
model.add(Dense(128*7*7))  # big
