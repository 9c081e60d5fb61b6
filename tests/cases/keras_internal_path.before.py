from keras.src.models.sequential import Sequential
from keras.layers import Dense
m = Sequential([Dense(2, input_shape=(3,))])
