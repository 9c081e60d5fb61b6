import keras
import tf_keras

a = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])
b = tf_keras.Sequential([tf_keras.layers.Dense(4, input_shape=(3,))])
