"""A small GAN on MLPs, the way blog posts stack generator and discriminator."""

from keras.layers import Dense, LeakyReLU
from keras.models import Sequential

noise_dim = 16

generator = Sequential()
generator.add(Dense(64, input_dim=noise_dim))
generator.add(LeakyReLU(0.2))
generator.add(Dense(2, activation="tanh"))

discriminator = Sequential()
discriminator.add(Dense(64, input_dim=2))
discriminator.add(LeakyReLU(0.2))
discriminator.add(Dense(1, activation="sigmoid"))
discriminator.compile(loss="binary_crossentropy", optimizer="adam")

discriminator.trainable = False
gan = Sequential([generator, discriminator])
gan.compile(loss="binary_crossentropy", optimizer="adam")
