"""A DQN agent's networks: the observation size comes from the environment."""
import gymnasium as gym
import numpy as np
from tensorflow import keras

env = gym.make("CartPole-v1")
state_size = env.observation_space.shape[0]
action_size = env.action_space.n


def build_q_network(state_size, action_size, lr=1e-3):
    model = keras.Sequential()
    model.add(keras.layers.Dense(24, input_dim=state_size, activation="relu"))
    model.add(keras.layers.Dense(24, activation="relu"))
    model.add(keras.layers.Dense(action_size, activation="linear"))
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=lr))
    return model


q_network = build_q_network(state_size, action_size)
target_network = build_q_network(state_size, action_size)
target_network.set_weights(q_network.get_weights())
