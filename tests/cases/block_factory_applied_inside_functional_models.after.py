# keras.io's GauGAN style: a factory returns a Sequential block that its callers apply at
# once to tensors (`downsample(64, 3)(image)`). Applied to Inputs of one shape, the block
# takes it; to Inputs of different shapes, it is said to vary (with where), never that no
# caller gives it data; applied to a tensor whose shape is not read, that is said.
import keras
from keras import layers


def upsample_block(filters):
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(inputs)
    x = layers.ReLU()(x)
    return keras.Model(inputs=inputs, outputs=x)


def downsample(channels, kernels, strides=2):
    block = keras.Sequential()
    block.add(layers.Conv2D(channels, kernels, strides=strides, padding="same"))
    block.add(layers.LeakyReLU(0.2))
    return block


def residual(filters):
    return keras.Sequential([layers.Conv2D(filters, 3, padding="same"), layers.BatchNormalization()])


inputs = keras.Input(shape=(32, 32, 3))
y = upsample_block(16)(inputs)

small = keras.Input(shape=(16, 16, 3))
large = keras.Input(shape=(64, 64, 3))
a = downsample(32, 3)(small)
b = downsample(32, 3)(large)


def build_encoder(image_shape):
    image = keras.Input(shape=image_shape)
    x = residual(64)(image)
    return keras.Model(image, x)
