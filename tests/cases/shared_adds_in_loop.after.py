from keras.layers import Dense


def head(n, x):
    m_layers = []
    m_layers.append(Dense(8))
    for _ in range(n):
        m_layers.append(Dense(8))
    m_layers.append(Dense(1))

    def m(x):
        for layer in m_layers:
            x = layer(x)
        return x

    return m(x)
