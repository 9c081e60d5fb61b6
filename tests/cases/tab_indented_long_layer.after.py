import keras


def f():
	if True:
		inputs = keras.Input(shape=(3,))
		x = keras.layers.Dense(
			2,
			activation="relu",
			kernel_initializer="glorot_uniform",
			name="a_long_name",
		)(inputs)
		m = keras.Model(inputs=inputs, outputs=x)
		return m
