from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Dense


class Net:
    def __init__(self, n):
        inputs = Input(shape=(n,))
        x = Dense(16, activation="relu")(inputs)
        x = Dense(1)(x)
        self.model = Model(inputs=inputs, outputs=x)

    def predict(self, x):
        return self.model.predict(x)
