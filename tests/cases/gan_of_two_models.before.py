import keras
from keras import layers

generator = keras.Sequential([layers.Dense(16, input_shape=(8,)), layers.Dense(4)])
discriminator = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(1)])
gan = keras.Sequential([generator, discriminator])
