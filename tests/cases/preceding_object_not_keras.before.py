import keras
import mylib

base = mylib.Backbone(input_shape=(8,))
model = keras.Sequential([base, keras.layers.Dense(5)])
