import keras


def f():
	if True:
		m = keras.Sequential()
		m.add(keras.layers.Dense(2, input_shape=(3,), activation="relu", kernel_initializer="glorot_uniform", name="a_long_name"))
		return m
