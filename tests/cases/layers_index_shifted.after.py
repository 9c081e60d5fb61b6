from keras import Input, Model, layers


def build():
    m_inputs = Input(shape=(4,))
    m_x = layers.Dense(8)(m_inputs)
    m_x = layers.Dense(2)(m_x)
    m = Model(inputs=m_inputs, outputs=m_x)
    return m


model_inputs = Input(shape=(8,))
model_x = layers.Dense(16)(model_inputs)
model_x = layers.Dense(4)(model_x)
model_x = layers.Dense(1)(model_x)
model = Model(inputs=model_inputs, outputs=model_x)
w = model.layers[1].get_weights()
model.layers[-1].trainable = False
head = model.layers[2:]
body = model.layers[1:-1]
first_two = model.layers[1:3]
net = build()
print(net.layers[2].name)
