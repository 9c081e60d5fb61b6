import keras
m = keras.models.Sequential(layers=[keras.layers.Dense(2, input_dim=3)], name="tiny")
