import keras


def build_model():
    return keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dense(1)])


model = build_model()
count = len(model.layers)
first = model.get_layer(index=0)
