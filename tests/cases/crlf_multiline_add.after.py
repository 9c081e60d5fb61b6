import keras

inputs = keras.Input(shape=(3,))
# note 1
x = keras.layers.Embedding(18, 2)(inputs)  # note 2
x = keras.layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=x)
