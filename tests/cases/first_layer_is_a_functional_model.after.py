import keras
from keras import layers

inputs = keras.Input(shape=(28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=x)

probability_model_inputs = keras.Input(shape=(28, 28))
probability_model_x = model(probability_model_inputs)
probability_model_x = layers.Softmax()(probability_model_x)
probability_model = keras.Model(
    inputs=probability_model_inputs, outputs=probability_model_x
)
