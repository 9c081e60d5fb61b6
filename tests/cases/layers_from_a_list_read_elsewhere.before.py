from keras import Sequential, layers

blocks = [layers.Dense(4, input_shape=(3,)), layers.Dense(1)]
model = Sequential(blocks)
for block in blocks:
    block.trainable = False
