from keras.models import Sequential
def f(layers):
    return Sequential(layers)
