"""Doc."""
try:
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.layers import Dense
except ImportError:
    pass

def f():
    from keras.models import Sequential
    return 1

model = Sequential()
model.add(Dense(3, input_shape=(4,)))
model.add(Dense(2))
model.build()  # build it
