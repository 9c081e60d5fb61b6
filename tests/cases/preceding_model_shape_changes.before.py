import keras

shape = (96, 96, 3)
base = keras.applications.ResNet50(include_top=False, input_shape=shape)
shape = (64, 64, 3)
model = keras.Sequential([base, keras.layers.Dense(5)])
