import keras


def f(a, b):
	base = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(3)])
	return base(a), base(b)
