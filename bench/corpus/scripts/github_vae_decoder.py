import tensorflow as tf
from tensorflow.keras import layers

latent_dim = 2
original_dim = 28 * 28

encoder = tf.keras.Sequential([
    layers.InputLayer(input_shape=(original_dim,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(latent_dim + latent_dim),
])
decoder = tf.keras.Sequential([
    layers.InputLayer(input_shape=(latent_dim,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(original_dim, activation="sigmoid"),
])


class VAE(tf.keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def call(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        eps = tf.random.normal(shape=tf.shape(mean))
        return self.decoder(eps * tf.exp(logvar * 0.5) + mean)


vae = VAE(encoder, decoder)
