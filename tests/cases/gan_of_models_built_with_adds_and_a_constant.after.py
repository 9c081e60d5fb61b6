"""A small GAN on MLPs, the way blog posts stack generator and discriminator."""

from keras.layers import Dense, LeakyReLU, Input
from keras.models import Model

noise_dim = 16

generator_inputs = Input(shape=(noise_dim,))
generator_x = Dense(64)(generator_inputs)
generator_x = LeakyReLU(0.2)(generator_x)
generator_x = Dense(2, activation="tanh")(generator_x)
generator = Model(inputs=generator_inputs, outputs=generator_x)

discriminator_inputs = Input(shape=(2,))
discriminator_x = Dense(64)(discriminator_inputs)
discriminator_x = LeakyReLU(0.2)(discriminator_x)
discriminator_x = Dense(1, activation="sigmoid")(discriminator_x)
discriminator = Model(inputs=discriminator_inputs, outputs=discriminator_x)
discriminator.compile(loss="binary_crossentropy", optimizer="adam")

discriminator.trainable = False
gan_inputs = Input(shape=(noise_dim,))
gan_x = generator(gan_inputs)
gan_x = discriminator(gan_x)
gan = Model(inputs=gan_inputs, outputs=gan_x)
gan.compile(loss="binary_crossentropy", optimizer="adam")
