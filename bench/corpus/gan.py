from tensorflow.keras.layers import Dense, Flatten, LeakyReLU, Reshape
from tensorflow.keras.models import Sequential

latent_dim = 100


def build_generator():
    model = Sequential()
    model.add(Dense(256, input_dim=latent_dim))
    model.add(LeakyReLU(alpha=0.2))
    model.add(Dense(784, activation="tanh"))
    model.add(Reshape((28, 28, 1)))
    return model


def build_discriminator():
    model = Sequential()
    model.add(Flatten(input_shape=(28, 28, 1)))
    model.add(Dense(256))
    model.add(LeakyReLU(alpha=0.2))
    model.add(Dense(1, activation="sigmoid"))
    return model


generator = build_generator()
discriminator = build_discriminator()
