from keras.models import Sequential
m = Sequential([*blocks])
