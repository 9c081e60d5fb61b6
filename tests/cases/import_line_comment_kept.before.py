import keras
from keras.models import Sequential as Seq  # fuzz
from keras.models import Model
m = Seq([keras.layers.Dense(2, input_shape=(3,))])
