"""Machine Learning Mastery's first Keras project: a CSV loaded with numpy."""

from keras.layers import Dense
from keras.models import Sequential
from numpy import loadtxt

dataset = loadtxt("pima-indians-diabetes.csv", delimiter=",")
X = dataset[:, 0:8]
y = dataset[:, 8]
model = Sequential()
model.add(Dense(12, input_shape=(8,), activation="relu"))
model.add(Dense(8, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=150, batch_size=10)

model2 = Sequential()
model2.add(Dense(12, activation="relu"))
model2.add(Dense(1, activation="sigmoid"))
model2.compile(loss="binary_crossentropy", optimizer="adam")
model2.fit(X, y, epochs=150, batch_size=10)
