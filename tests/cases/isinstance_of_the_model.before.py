import keras

model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])
if isinstance(model, keras.Sequential):
    model.summary()
