from keras.models import Sequential
from keras.layers import Dense, Dropout
model = Sequential([Dense(8, input_shape=(4,)), Dense(8)])
model.add(Dropout(0.5))
model.add(Dense(1))
