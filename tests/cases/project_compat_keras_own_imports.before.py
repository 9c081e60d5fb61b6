from mypkg.compat.keras.layers import Dense
from mypkg.compat.keras.models import Sequential

model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
