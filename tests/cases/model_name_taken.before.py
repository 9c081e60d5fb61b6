from keras.models import Sequential
from keras.layers import Dense
class Model:
    pass
seq = Sequential([Dense(2, input_shape=(3,))])
