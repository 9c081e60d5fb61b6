import keras
from keras import layers

inputs = keras.Input(shape=(28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=x)

probability_model = keras.Sequential([model, layers.Softmax()])
