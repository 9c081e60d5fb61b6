import keras as K
from keras.models import Sequential as S
a = S()
a.add(K.layers.Dense(2, input_shape=(3,)))
