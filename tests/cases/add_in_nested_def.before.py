from keras.models import Sequential
from keras.layers import Dense
m = Sequential([Dense(2, input_shape=(3,))])
def later():
    m.add(Dense(1))
