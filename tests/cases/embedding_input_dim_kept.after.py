from keras.models import Model
from keras.layers import Embedding, Flatten, Dense, Input
inputs = Input(shape=(12,))
x = Embedding(input_dim=100, output_dim=8)(inputs)
x = Flatten()(x)
x = Dense(1)(x)
model = Model(inputs=inputs, outputs=x)
