from keras.layers import Input, InputLayer, Dense
from keras.models import Sequential

m = Sequential([InputLayer(shape=(4,)), Dense(2)])
