from keras.models import Sequential
from keras.layers import Dense
wrap(Sequential([Dense(2, input_shape=(3,))]))
