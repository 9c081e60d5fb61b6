import keras
class A:
    net = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
