import keras

SHAPE = (96, 96, 3)
base = keras.applications.ResNet50(include_top=False, input_shape=SHAPE)
inputs = keras.Input(shape=SHAPE)
x = base(inputs)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dense(5)(x)
model = keras.Model(inputs=inputs, outputs=x)
