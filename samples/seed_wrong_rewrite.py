"""The seed's first functional rewrite: it runs, but every call builds new layers."""

from keras.layers import LSTM, Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D, Reshape
from keras.models import Model

img_size = (16, 16, 3)


def create_base_network(input_dim):
    x = Conv2D(64, 5, activation='relu', padding='same')(input_dim)
    x = Conv2D(128, 4, activation='relu', padding='same')(x)
    x = Conv2D(256, 4, activation='relu', padding='same')(x)
    x = Conv2D(64, 1, activation='relu', padding='same')(x)
    x = MaxPooling2D(2, 2)(x)
    x = Flatten()(x)
    x = Dense(512, activation='relu')(x)
    x = Reshape((1, 512))(x)
    return x


input_1 = Input(shape=img_size)
input_2 = Input(shape=img_size)
input_3 = Input(shape=img_size)
input_4 = Input(shape=img_size)
input_5 = Input(shape=img_size)
input_6 = Input(shape=img_size)

base_network_1 = create_base_network(input_1)
base_network_2 = create_base_network(input_2)
base_network_3 = create_base_network(input_3)
base_network_4 = create_base_network(input_4)
base_network_5 = create_base_network(input_5)
base_network_6 = create_base_network(input_6)
out_all = Concatenate(axis=1)(
    [base_network_1, base_network_2, base_network_3, base_network_4, base_network_5, base_network_6])
lstm_layer = LSTM(128, name='lstm')(out_all)

out_puts = Dense(3, activation='softmax', name='out')(lstm_layer)
model = Model(inputs=[input_1, input_2, input_3, input_4, input_5, input_6], outputs=out_puts)
