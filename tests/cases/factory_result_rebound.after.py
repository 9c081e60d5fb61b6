from keras.models import Model
from keras.layers import Dense, Input
def make():
    inputs = Input(shape=(3,))
    x = Dense(2)(inputs)
    return Model(inputs=inputs, outputs=x)
m = make()
m.fit()
m_inputs = Input(shape=(2,))
m_x = Dense(1)(m_inputs)
m = Model(inputs=m_inputs, outputs=m_x)
