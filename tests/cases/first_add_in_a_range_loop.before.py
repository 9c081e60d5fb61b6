from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
for _ in range(5):
    model.add(Dense(2, input_dim=3))
model.add(Dense(1))
