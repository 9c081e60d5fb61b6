from keras.models import Sequential
from mylib import MyLayer
m = Sequential([MyLayer(input_dim=5)])
