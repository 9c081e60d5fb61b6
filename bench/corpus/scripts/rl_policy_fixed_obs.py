import numpy as np
import tensorflow as tf

OBS_DIM = 8
N_ACTIONS = 4

policy = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="tanh"),
    tf.keras.layers.Dense(64, activation="tanh"),
    tf.keras.layers.Dense(N_ACTIONS, activation="softmax"),
])
value = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="tanh"),
    tf.keras.layers.Dense(1),
])
obs = np.zeros((1, OBS_DIM), dtype=np.float32)
probs = policy(obs)
v = value(obs)
