from tensorflow.keras import layers, models

model = models.Sequential()
model.add(layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)))
model.add(layers.Flatten())
model.add(layers.Dense(2, activation="softmax"))
model.layers[0].trainable = False
print(model.layers[-1].get_weights()[0].shape)
for layer in model.layers[:1]:
    layer.trainable = False
