from tf_keras.models import Model
from tf_keras.layers import LSTM, Dense, Input
inputs = Input(batch_shape=(1, 5, 2), dtype="float64")
x = LSTM(4, stateful=True, dtype="float64")(inputs)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
