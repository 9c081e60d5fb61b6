from keras.models import Sequential
class MyModel(Sequential):
    pass
