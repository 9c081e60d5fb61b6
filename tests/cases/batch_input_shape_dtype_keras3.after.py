from keras.models import Model
from keras.layers import LSTM, Dense, Input
inputs = Input(batch_shape=(1, 5, 2))
x = LSTM(4, stateful=True, dtype="float32")(inputs)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
