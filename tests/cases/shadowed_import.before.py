from keras.models import Sequential
def f(Sequential):
    m = Sequential()
    m.add(1)
