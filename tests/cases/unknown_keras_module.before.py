from mypkg.compat import keras
model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
