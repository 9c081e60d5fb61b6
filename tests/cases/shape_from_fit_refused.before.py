import numpy as np
from keras import Sequential, layers

if np.random.rand() > 0.5:
    z = np.ones((5, 7))
else:
    z = np.ones((5, 9))
m = Sequential([layers.Dense(3)])
m.fit(z)

a = np.ones((4, 6))
b = np.ones((4, 8))
n = Sequential([layers.Dense(3)])
n.fit(a)
n.predict(b)

k = Sequential([layers.Dense(3)])
k.fit(np.ones((4, 6)))
k.predict(load_more())
