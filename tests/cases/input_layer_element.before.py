from tf_keras.models import Sequential
from tf_keras.layers import InputLayer, Dense
model = Sequential([InputLayer(input_shape=(3,)), Dense(2)])
