from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(64, activation='relu', kernel_initializer='he_normal', bias_initializer='zeros', input_shape=(100,)))
