from keras.models import Sequential
from keras.layers import Dense
def f(x, inputs):
    net = Sequential()
    net.add(Dense(2, input_shape=(3,)))
    return net(x)
