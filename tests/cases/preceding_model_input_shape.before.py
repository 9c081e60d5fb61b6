import keras

SHAPE = (96, 96, 3)
base = keras.applications.ResNet50(include_top=False, input_shape=SHAPE)
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(5)])
