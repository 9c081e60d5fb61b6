import keras
from keras import layers

generator_inputs = keras.Input(shape=(8,))
generator_x = layers.Dense(16)(generator_inputs)
generator_x = layers.Dense(4)(generator_x)
generator = keras.Model(inputs=generator_inputs, outputs=generator_x)
discriminator_inputs = keras.Input(shape=(4,))
discriminator_x = layers.Dense(8)(discriminator_inputs)
discriminator_x = layers.Dense(1)(discriminator_x)
discriminator = keras.Model(inputs=discriminator_inputs, outputs=discriminator_x)
gan_inputs = keras.Input(shape=(8,))
gan_x = generator(gan_inputs)
gan_x = discriminator(gan_x)
gan = keras.Model(inputs=gan_inputs, outputs=gan_x)
