from keras.models import Sequential
from keras.layers import Dense
m = Sequential([Dense(2, input_shape=(3,))], foo=1)
