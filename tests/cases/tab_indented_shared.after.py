import keras


def f(a, b):
	dense = keras.layers.Dense(2)
	dense_1 = keras.layers.Dense(3)

	def base(x):
		x = dense(x)
		x = dense_1(x)
		return x

	return base(a), base(b)
