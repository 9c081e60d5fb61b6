from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from tensorflow import keras

X, y = make_moons(n_samples=1000, noise=0.2, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

model = keras.Sequential(
    [
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X_train, y_train, epochs=20, validation_data=(X_test, y_test))
