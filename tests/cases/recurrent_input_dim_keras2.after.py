from keras.layers import GRU, LSTM, Dense, Input
from keras.models import Model

model_inputs = Input(shape=(None, 4))
model_x = LSTM(32)(model_inputs)
model_x = Dense(1)(model_x)
model = Model(inputs=model_inputs, outputs=model_x)

tagger_inputs = Input(shape=(10, 3))
tagger_x = GRU(8, return_sequences=True)(tagger_inputs)
tagger_x = Dense(2)(tagger_x)
tagger = Model(inputs=tagger_inputs, outputs=tagger_x)
