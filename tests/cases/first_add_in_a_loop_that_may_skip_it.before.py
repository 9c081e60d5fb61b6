from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
for i in range(5):
    if i == 0:
        continue
    model.add(Dense(2, input_dim=3))
