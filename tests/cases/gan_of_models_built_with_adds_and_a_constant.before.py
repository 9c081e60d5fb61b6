from keras.layers import Dense
from keras.models import Sequential

noise_dim = 16

generator = Sequential()
generator.add(Dense(8, input_dim=noise_dim))
generator.add(Dense(2, activation="tanh"))

discriminator = Sequential()
discriminator.add(Dense(1, input_dim=2, activation="sigmoid"))

gan = Sequential([generator, discriminator])
