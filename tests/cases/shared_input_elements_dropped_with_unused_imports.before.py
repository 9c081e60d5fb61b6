from keras import Sequential, Input
from keras.layers import Dense, InputLayer
m = Sequential([Input((3,)), Dense(2)])
n = Sequential([InputLayer(shape=(3,)), Dense(2)])
y = m(Input((3,))) + n(Input((3,)))
