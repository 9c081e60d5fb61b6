"""The seed program: one Sequential base network shared by six image inputs."""

from keras.layers import LSTM, Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D, Reshape
from keras.models import Model, Sequential

img_size = (16, 16, 3)


def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Conv2D(64, 5, activation='relu', padding='same', name='conv1', input_shape=input_dim))
    seq.add(Conv2D(128, 4, activation='relu', padding='same', name='conv2'))
    seq.add(Conv2D(256, 4, activation='relu', padding='same', name='conv3'))
    seq.add(Conv2D(64, 1, activation='relu', padding='same', name='conv4'))
    seq.add(MaxPooling2D(2, 2, name='pool1'))
    seq.add(Flatten(name='fla1'))
    seq.add(Dense(512, activation='relu', name='dense1'))
    seq.add(Reshape((1, 512), name='reshape'))
    return seq


base_network = create_base_network(img_size)
input_1 = Input(shape=img_size)
input_2 = Input(shape=img_size)
input_3 = Input(shape=img_size)
input_4 = Input(shape=img_size)
input_5 = Input(shape=img_size)
input_6 = Input(shape=img_size)
out_all = Concatenate(axis=1)([base_network(input_1), base_network(input_2), base_network(input_3),
                               base_network(input_4), base_network(input_5), base_network(input_6)])
lstm_layer = LSTM(128, name='lstm')(out_all)

out_puts = Dense(3, activation='softmax', name='out')(lstm_layer)
model = Model([input_1, input_2, input_3, input_4, input_5, input_6], out_puts)

if __name__ == "__main__":
    model.summary()
