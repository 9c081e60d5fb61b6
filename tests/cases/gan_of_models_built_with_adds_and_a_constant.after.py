from keras.layers import Dense, Input
from keras.models import Model

noise_dim = 16

generator_inputs = Input(shape=(noise_dim,))
generator_x = Dense(8)(generator_inputs)
generator_x = Dense(2, activation="tanh")(generator_x)
generator = Model(inputs=generator_inputs, outputs=generator_x)

discriminator_inputs = Input(shape=(2,))
discriminator_x = Dense(1, activation="sigmoid")(discriminator_inputs)
discriminator = Model(inputs=discriminator_inputs, outputs=discriminator_x)

gan_inputs = Input(shape=(noise_dim,))
gan_x = generator(gan_inputs)
gan_x = discriminator(gan_x)
gan = Model(inputs=gan_inputs, outputs=gan_x)
