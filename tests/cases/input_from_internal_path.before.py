from keras.src.layers.core.input_layer import Input
from keras import Sequential
from keras.layers import Dense
m = Sequential([Input(shape=(8,)), Dense(2)])
