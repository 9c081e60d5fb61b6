from keras.models import Sequential
from keras.layers import Dense
model = Sequential([  # the stack
    # first
    Dense(4, input_shape=(2,)),  # hidden
    Dense(1),  # out
    # end of stack
])
