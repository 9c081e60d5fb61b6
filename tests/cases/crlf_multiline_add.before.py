import keras

model = keras.Sequential()
model.add(keras.layers.Embedding(18,  # note 1
    2, input_length=3))  # note 2
model.add(keras.layers.Dense(2))
