"""Doc."""
try:
    from tensorflow.keras.models import Model
    from tensorflow.keras.layers import Dense, Input
except ImportError:
    pass

def f():
    from keras.models import Sequential
    return 1

inputs = Input(shape=(4,))
x = Dense(3)(inputs)
x = Dense(2)(x)
model = Model(inputs=inputs, outputs=x)
# build it
