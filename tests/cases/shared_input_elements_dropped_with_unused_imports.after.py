from keras import Input
from keras.layers import Dense
dense = Dense(2)


def m(x):
    x = dense(x)
    return x


dense_1 = Dense(2)


def n(x):
    x = dense_1(x)
    return x


y = m(Input((3,))) + n(Input((3,)))
