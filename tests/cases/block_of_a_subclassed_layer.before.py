import keras
from keras import layers


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, ff_dim):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=2, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])

    def call(self, inputs):
        return self.ffn(self.att(inputs, inputs))
