from keras.models import Sequential
from keras.layers import Dense
def make():
    return Sequential([Dense(2, input_shape=(3,))])
m = make()
m.fit()
m = Sequential()
m.add(Dense(1, input_shape=(2,)))
