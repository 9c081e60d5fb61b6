from keras_tuner.backend.keras import Input, Model, layers

inputs = Input(shape=(3,))
x = layers.Dense(4)(inputs)
x = layers.Dense(2)(x)
model = Model(inputs=inputs, outputs=x)
