"""Static shapes of the data a model is fed (`seq2func/shapes/`): a table of expressions,
and, with real Keras, the shape Keras builds the original with equals the converted Input's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from shape_programs import shape_at_use

from seq2func import shapes
from seq2func.shapes import registry
from seq2func.shapes.files import beside
from seq2func.types import DataFile

CASES = Path(__file__).parent / "cases"
# Deep Learning with Python's IMDB listing: a helper builds the array a model is fit on
VECTORIZE = dedent(
    """\
    def vectorize_sequences(sequences, dimension=10000):
        results = np.zeros((len(sequences), dimension))
        for i, sequence in enumerate(sequences):
            results[i, sequence] = 1.0
        return results
    """
)
# TensorFlow's text classification tutorial: a folder of texts, vectorized in a map
TEXTS = dedent(
    """\
    LENGTH = 250
    vectorize = keras.layers.TextVectorization(20000, output_mode="int", output_sequence_length=LENGTH)
    raw = keras.utils.text_dataset_from_directory("aclImdb/train", batch_size=32)
    """
)
HEADER = dedent(
    """\
    import numpy as np
    import pandas as pd
    import tensorflow as tf
    import tensorflow_datasets as tfds
    from tensorflow import keras
    """
)


# (code binding x, the shape read for x): each reader of `seq2func.shapes` answers in some row
SHAPES = [
    pytest.param(
        "x = tfds.load('mnist', split=['train', 'test'], as_supervised=True, batch_size=32)[0]",
        (None, 28, 28, 1),
        id="tfds-a-split-picked",
    ),
    pytest.param(
        "x = tfds.load('mnist', split='train', as_supervised=True, with_info=True)[0]",
        None,
        id="tfds-unbatched-picked",
    ),
    pytest.param("x = np.zeros((32, 784))", (32, 784), id="zeros"),
    pytest.param("n = 20\nx = np.random.rand(100, n)", (100, 20), id="rand-varargs-name"),
    pytest.param("x = np.random.rand(*(32, 8))[..., None]", (32, 8, 1), id="rand-star-literal"),
    pytest.param("x = np.random.rand(4, *(32, 8))", (4, 32, 8), id="rand-star-after-a-dim"),
    pytest.param("x = np.random.rand(*shape())", None, id="rand-star-unknown"),
    pytest.param("x = np.random.randint(0, 9, size=(5, 10))", (5, 10), id="randint-size"),
    pytest.param("x = tf.random.normal((4, 10))", (4, 10), id="tf-normal"),
    pytest.param("x = np.random.normal(0, 1, (6, 3))", (6, 3), id="normal-size-positional"),
    pytest.param("x = np.random.random((6, 3))", (6, 3), id="random-shape"),
    pytest.param(
        "rng = np.random.default_rng(0)\nx = rng.normal(size=(256, 13)).astype('float32')",
        (256, 13),
        id="generator-normal",
    ),
    pytest.param("x = np.random.default_rng(0).integers(0, 9, (5, 2))", (5, 2), id="generator-integers"),
    pytest.param("x = np.random.RandomState(1).rand(7, 4)", (7, 4), id="random-state-rand"),
    pytest.param("rng = np.random.default_rng(0)\nx = rng.random((3, 8))", (3, 8), id="generator-random"),
    pytest.param("rng = make_rng()\nx = rng.normal(size=(3, 8))", None, id="not-a-numpy-generator"),
    pytest.param("x = np.random.normal(0, 1)", None, id="normal-without-size"),
    pytest.param("x = np.array([[1, 2, 3], [4, 5, 6]])", (2, 3), id="nested-list"),
    pytest.param("x = np.ones((8, 28, 28))\nx = x.reshape(-1, 784)", (None, 784), id="reshape-minus-one"),
    pytest.param("x = np.ones((8, 28, 28))\nx = x[..., None]", (8, 28, 28, 1), id="newaxis"),
    pytest.param("x = np.ones((8, 28, 28))\nx = np.expand_dims(x, -1)", (8, 28, 28, 1), id="expand-dims"),
    pytest.param("x = np.ones((8, 5)).astype('float32') / 255.0", (8, 5), id="astype-divide"),
    pytest.param("x = np.ones((8, 5))\nx /= 255.0", (8, 5), id="augmented"),
    pytest.param("x = np.ones((8, 5))[:4]", (None, 5), id="slice-batch"),
    pytest.param("(x, _), _ = keras.datasets.cifar10.load_data()", (None, 32, 32, 3), id="cifar10"),
    pytest.param(
        "x = tf.data.Dataset.from_tensor_slices((np.ones((64, 3)), np.ones(64))).batch(8)",
        (64, 3),
        id="dataset",
    ),
    pytest.param("x = np.ones((8, 5)) + np.ones((8, 6))", None, id="mismatched-sum"),
    pytest.param(
        "(x, _), _ = keras.datasets.mnist.load_data()\nx = x.reshape(x.shape[0], 28, 28, 1)",
        (None, 28, 28, 1),
        id="reshape-batch-expression",
    ),
    pytest.param(
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "data = np.random.rand(500, 9)\nscaler = StandardScaler()\n"
        "_, x, _, _ = train_test_split(scaler.fit_transform(data), data[:, 0], test_size=0.2)",
        (None, 9),
        id="split-and-scaled",
    ),
    pytest.param(
        "maxlen = 100\nx = keras.preprocessing.sequence.pad_sequences(seqs, maxlen=maxlen)",
        (None, 100),
        id="pad-sequences",
    ),
    pytest.param(
        "from sklearn.decomposition import PCA\nx = PCA(2).fit_transform(np.ones((9, 5)))", None, id="pca"
    ),
    pytest.param("x = load()", None, id="unknown-call"),
    # arrays joined
    pytest.param(
        "a = np.zeros((10, 3))\nb = np.ones((10, 5))\nx = np.concatenate([a, b], axis=1)",
        (10, 8),
        id="concatenate-axis1",
    ),
    pytest.param("a = np.zeros((10, 3))\nx = np.concatenate((a, a))", (20, 3), id="concatenate-rows"),
    pytest.param("a = np.zeros((10, 3))\nb = np.ones((10, 5))\nx = np.hstack([a, b])", (10, 8), id="hstack"),
    pytest.param("a = np.zeros((10, 3))\nx = np.vstack([a, a, a])", (30, 3), id="vstack"),
    pytest.param("a = np.zeros(4)\nx = np.vstack([a, a])", (2, 4), id="vstack-vectors"),
    pytest.param("a = np.zeros((10, 3))\nx = np.stack([a, a])", (2, 10, 3), id="stack"),
    pytest.param(
        "a = np.zeros(10)\nb = np.ones((10, 2))\nx = np.column_stack([a, b])", (10, 3), id="column-stack"
    ),
    pytest.param(
        "a = np.zeros((10, 3))\nb = np.ones((9, 5))\nx = np.hstack([a, b])", None, id="hstack-misfit"
    ),
    pytest.param(
        "a = np.zeros((10, 3))\nx = np.concatenate([a, b()], axis=1)", None, id="concatenate-unknown-part"
    ),
    pytest.param(
        "a = np.zeros((10, 3))\nx = np.concatenate([a, a], axis=k)", None, id="concatenate-unknown-axis"
    ),
    # data loaders of tutorials
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(180, 180), batch_size=32)",
        (None, 180, 180, 3),
        id="image-dataset",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(28, 28), color_mode='grayscale')",
        (None, 28, 28, 1),
        id="image-dataset-grayscale",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d')",
        (None, 256, 256, 3),
        id="image-dataset-default",
    ),
    pytest.param(
        "size = 64\nx = keras.utils.image_dataset_from_directory('d', image_size=(size, size)).cache().prefetch(2)",
        (None, 64, 64, 3),
        id="image-dataset-constant-and-methods",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=size())",
        None,
        id="image-dataset-unknown",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', color_mode=mode)",
        None,
        id="image-dataset-mode-unknown",
    ),
    pytest.param(
        "from keras.preprocessing.image import ImageDataGenerator\ngen = ImageDataGenerator(rescale=1 / 255)\n"
        "x = gen.flow_from_directory('d', target_size=(224, 224))",
        (None, 224, 224, 3),
        id="flow-from-directory",
    ),
    pytest.param(
        "x = other.flow_from_directory('d', target_size=(224, 224))",
        None,
        id="flow-from-directory-unknown",
    ),
    pytest.param(
        "from sklearn.datasets import make_moons\nx, y = make_moons(n_samples=500, noise=0.1)",
        (500, 2),
        id="moons",
    ),
    pytest.param(
        "from sklearn.datasets import make_circles\nx, y = make_circles()", (100, 2), id="circles-default"
    ),
    pytest.param(
        "from sklearn import datasets\nx, y = datasets.make_classification(1000, n_features=12)",
        (1000, 12),
        id="classification",
    ),
    pytest.param("from sklearn.datasets import make_blobs\nx, y = make_blobs(300, 3)", (300, 3), id="blobs"),
    pytest.param(
        "from sklearn.datasets import make_regression\nx, y = make_regression(n_features=f())",
        None,
        id="regression-unknown",
    ),
    pytest.param(
        "from sklearn.datasets import load_iris\nx, y = load_iris(return_X_y=True)", (150, 4), id="iris"
    ),
    pytest.param(
        dedent(
            """\
            from sklearn.datasets import load_digits
            digits = load_digits()
            x = digits.data"""
        ),
        (1797, 64),
        id="digits-bunch",
    ),
    pytest.param(
        "from sklearn.datasets import load_breast_cancer\nfrom sklearn.model_selection import train_test_split\n"
        "x, _, y, _ = train_test_split(*load_breast_cancer(return_X_y=True))",
        None,
        id="spread-into-a-split",
    ),
    pytest.param("if flag:\n    x = np.ones((2, 3))\nelse:\n    x = np.ones((2, 4))", None, id="conditional"),
    pytest.param("x = np.ones((8, 28, 28)).reshape(8, -1)", (8, 784), id="minus-one-inside"),
    pytest.param("x = np.ones((8, 28, 28)).reshape(4, -1)", None, id="minus-one-batch-changed"),
    pytest.param(
        "(x, _), _ = keras.datasets.mnist.load_data()\nx = x.reshape(len(x), -1).astype('float32') / 255",
        (None, 784),
        id="minus-one-len",
    ),
    pytest.param(
        "x = np.ones((8, 6, 4))\nx = x.reshape((x.shape[0], -1, 2))", (8, 12, 2), id="minus-one-shape0"
    ),
    pytest.param(
        "x = np.ones((8, 6, 4))\nx = np.reshape(x, (len(x), -1))", (8, 24), id="np-reshape-minus-one"
    ),
    pytest.param("x = np.ones((8, 6, 4))\nx = x.reshape(len(y), -1)", None, id="minus-one-other-len"),
    pytest.param("x = np.ones((8, 6, 4))\nx = x.reshape(len(x), -1, 5)", None, id="minus-one-not-whole"),
    pytest.param("x = np.ones((8, 6, 4))\nx = x.reshape(len(x), -1, -1)", None, id="two-minus-ones"),
    pytest.param("(_, _), (x, _) = keras.datasets.imdb.load_data()", None, id="ragged-dataset"),
    # a helper of the same file: what it returns, its parameters bound by the call
    pytest.param(VECTORIZE + "x = vectorize_sequences(train_data)", (None, 10000), id="helper-default"),
    pytest.param(VECTORIZE + "x = vectorize_sequences(train_data, 500)", (None, 500), id="helper-positional"),
    pytest.param(
        VECTORIZE + "x = vectorize_sequences(train_data, dimension=64)", (None, 64), id="helper-keyword"
    ),
    pytest.param(VECTORIZE + "x = vectorize_sequences(train_data, d)", (None, None), id="helper-unknown-arg"),
    pytest.param(
        VECTORIZE + "x = vectorize_sequences(train_data, size=3)", None, id="helper-unknown-keyword"
    ),
    pytest.param(VECTORIZE + "x = vectorize_sequences(*args)", None, id="helper-star-call"),
    pytest.param(
        "def scaled(a, by=2.0):\n    return a / by\nx = scaled(np.ones((8, 5)))",
        (8, 5),
        id="helper-array-param",
    ),
    pytest.param(
        "def pick(a, flag):\n    if flag:\n        return np.ones((3, 3))\n    return a\nx = pick(np.ones((8, 5)), 1)",
        None,
        id="helper-two-returns",
    ),
    pytest.param(
        "def rows(n):\n    for _ in range(n):\n        yield np.ones(3)\n    return np.ones((n, 3))\nx = rows(4)",
        None,
        id="helper-generator",
    ),
    pytest.param("def make(*dims):\n    return np.ones(dims)\nx = make(4, 5)", None, id="helper-star-params"),
    pytest.param(
        "@cache\ndef make(n):\n    return np.ones((n, 3))\nx = make(4)", None, id="helper-decorated"
    ),
    pytest.param(
        "def make(n):\n    return np.ones((n, 3))\ndef make(n):\n    return np.ones((n, 4))\nx = make(4)",
        None,
        id="helper-defined-twice",
    ),
    pytest.param(
        "def inner(n):\n    return np.ones((n, 3))\ndef outer(m=7):\n    return inner(m)\nx = outer()",
        (7, 3),
        id="helper-calls-a-helper",
    ),
    # constants: arithmetic, tuples joined, class constants
    pytest.param("SIZE = 14\nx = np.zeros((8, SIZE * 2))", (8, 28), id="int-arithmetic"),
    pytest.param("SIZE = 30\nx = np.zeros((8, SIZE // 4 - 1))", (8, 6), id="int-floor-division"),
    pytest.param("x = np.zeros((8, 3 // 0))", (8, None), id="int-division-by-zero"),
    pytest.param("x = np.zeros((8, 2 ** 3))", (8, None), id="int-power-not-followed"),
    pytest.param(
        "IMG = 32\nSHAPE = (IMG, IMG) + (3,)\nx = np.zeros((4,) + SHAPE)",
        (4, 32, 32, 3),
        id="tuples-joined",
    ),
    pytest.param(
        "class Config:\n    size = 64\nx = np.zeros((4, Config.size))", (4, 64), id="class-constant"
    ),
    pytest.param(
        "class CFG:\n    size = 64\ncfg = CFG()\nx = np.zeros((4, cfg.size))",
        (4, 64),
        id="instance-of-a-plain-class",
    ),
    pytest.param(
        "class CFG:\n    size = 64\n    def __init__(self):\n        vars(self).update(size=8)\ncfg = CFG()\nx = np.zeros((4, cfg.size))",
        (4, None),
        id="instance-with-init",
    ),
    pytest.param(
        "from dataclasses import dataclass\n@dataclass\nclass S:\n    n: int = 30\nx = np.zeros((4, S().n))",
        (4, None),
        id="dataclass-made-inline-not-followed",
    ),
    pytest.param(
        "from dataclasses import dataclass\n@dataclass(frozen=True)\nclass S:\n    n: int = 30\ns = S()\nx = np.zeros((4, s.n))",
        (4, 30),
        id="dataclass-defaults",
    ),
    pytest.param(
        "from dataclasses import dataclass\n@dataclass\nclass S:\n    n: int = 30\n    def __post_init__(self):\n        self.n = 2\n"
        "s = S()\nx = np.zeros((4, s.n))",
        (4, None),
        id="dataclass-post-init",
    ),
    pytest.param(
        "from dataclasses import dataclass\n@dataclass\nclass S:\n    n: int = 30\ns = S(8)\nx = np.zeros((4, s.n))",
        (4, None),
        id="dataclass-given-arguments",
    ),
    pytest.param(
        "@register\nclass S:\n    n = 30\ns = S()\nx = np.zeros((4, s.n))",
        (4, None),
        id="class-decorated",
    ),
    pytest.param(
        "class Config:\n    size = 64\nConfig.size = 8\nx = np.zeros((4, Config.size))",
        (4, None),
        id="class-constant-reassigned",
    ),
    pytest.param(
        "class Config:\n    size = 64\nsetattr(Config, name, 8)\nx = np.zeros((4, Config.size))",
        (4, None),
        id="class-constant-setattr",
    ),
    pytest.param(
        "class Config:\n    size = 64\n    size = 32\nx = np.zeros((4, Config.size))",
        (4, None),
        id="class-constant-twice",
    ),
    pytest.param(
        "class Config(Base):\n    size = 64\nx = np.zeros((4, Config.size))",
        (4, None),
        id="class-with-a-base",
    ),
    # tf.data pipelines: batching, map of a lambda or a helper, text and image folders
    pytest.param(
        "x = tf.data.Dataset.from_tensor_slices((np.ones((8, 5)), y)).shuffle(8).batch(2)",
        (8, 5),
        id="dataset-features",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 28, 28)), y))\n"
        "x = ds.map(lambda image, label: (tf.expand_dims(image, -1) / 255, label)).batch(4)",
        (8, 28, 28, 1),
        id="map-elementwise",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 28, 28)), y))\n"
        "x = ds.map(lambda image, label: (tf.expand_dims(image, 2), label)).batch(4)",
        None,
        id="map-element-axis-counted-from-the-front",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 28, 28)), y))\n"
        "x = ds.map(lambda image, label: (tf.reshape(image, (784,)), label)).batch(4)",
        None,
        id="map-element-reshaped",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 28, 28)), y)).batch(4)\n"
        "x = ds.map(lambda images, labels: (tf.reshape(images, (-1, 784)), labels))",
        (None, 784),
        id="map-batch-reshaped",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 28, 28)), y))\n"
        "x = ds.map(lambda pair: pair).batch(4)",
        None,
        id="map-one-parameter-for-a-pair",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 9)), y))\n"
        "def scale(features, label, by=2.0):\n    features = features / by\n    return features, label\n"
        "x = ds.map(scale).batch(4)",
        (8, 9),
        id="map-helper",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 9)), y))\n"
        "x = ds.map(lambda *parts: parts[0]).batch(4)",
        None,
        id="map-star-parameters",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 9)), y))\nx = ds.map(transform).batch(4)",
        None,
        id="map-unknown-function",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(90, 90), color_mode='grayscale')",
        (None, 90, 90, 1),
        id="image-folder",
    ),
    pytest.param(
        "rescale = keras.layers.Rescaling(1.0 / 255)\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64))\n"
        "x = ds.map(lambda x, y: (rescale(x), y))",
        (None, 64, 64, 3),
        id="image-folder-rescaled",
    ),
    pytest.param(
        "augment = keras.Sequential([keras.layers.RandomFlip(), keras.layers.RandomZoom(0.1)])\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64))\n"
        "x = ds.map(lambda x, y: (augment(x, training=True), y))",
        (None, 64, 64, 3),
        id="image-folder-augmented",
    ),
    pytest.param(
        "augment = keras.Sequential([keras.layers.RandomFlip(), keras.layers.Conv2D(3, 3)])\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64))\n"
        "x = ds.map(lambda x, y: (augment(x), y))",
        None,
        id="block-that-changes-the-shape",
    ),
    pytest.param(
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64))\n"
        "x = ds.map(lambda x, y: (tf.image.resize(x, (32, 32)), y))",
        (None, 32, 32, 3),
        id="image-folder-resized",
    ),
    pytest.param(
        "resize = keras.layers.Resizing(48, 40)\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64))\n"
        "x = ds.map(lambda x, y: (resize(x), y))",
        (None, 48, 40, 3),
        id="image-folder-resizing-layer",
    ),
    pytest.param(
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64), label_mode=mode)\n"
        "x = ds.map(lambda x, y: (x, y))",
        None,
        id="image-folder-labels-unknown",
    ),
    pytest.param(
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64), label_mode=None)\n"
        "x = ds.map(lambda x: x / 255)",
        (None, 64, 64, 3),
        id="image-folder-unlabelled",
    ),
    pytest.param(
        TEXTS + "x = raw.map(lambda x, y: (vectorize(x), y))", (None, 250), id="text-folder-vectorized"
    ),
    pytest.param(
        TEXTS + "def prepare(text, label):\n    text = tf.expand_dims(text, -1)\n"
        "    return vectorize(text), label\nx = raw.map(prepare).cache()",
        (None, 250),
        id="text-folder-vectorized-by-a-helper",
    ),
    pytest.param(
        TEXTS.replace(", output_sequence_length=LENGTH", "") + "x = raw.map(lambda x, y: (vectorize(x), y))",
        (None, None),
        id="text-vectorized-any-length",
    ),
    pytest.param(
        TEXTS.replace(", output_sequence_length=LENGTH", ", output_sequence_length=n()")
        + "x = raw.map(lambda x, y: (vectorize(x), y))",
        None,
        id="text-vectorized-length-unknown",
    ),
    pytest.param(
        TEXTS.replace('output_mode="int"', 'output_mode="multi_hot", pad_to_max_tokens=True')
        + "x = raw.map(lambda x, y: (vectorize(x), y))",
        (None, 20000),
        id="text-multi-hot-padded",
    ),
    pytest.param(
        TEXTS.replace('output_mode="int"', 'output_mode="multi_hot"')
        + "x = raw.map(lambda x, y: (vectorize(x), y))",
        None,
        id="text-multi-hot-vocabulary-size",
    ),
    pytest.param(
        TEXTS + "x = raw.map(lambda x, y: (vectorize(x), y)).unbatch().map(lambda x, y: (x[:10], y))",
        None,
        id="text-unbatched-then-sliced",
    ),
    pytest.param(
        TEXTS.replace("batch_size=32", "batch_size=None")
        + "x = raw.map(lambda x, y: (vectorize(x), y)).batch(8)",
        (None, 250),
        id="text-unbatched-folder-one-string-each",
    ),
    # element-wise steps, padding, `.shape` as a size, a bunch read by key
    pytest.param(
        "a = np.ones((8, 28, 28))\n"
        "x = np.clip(a + 0.4 * np.random.normal(loc=0.0, scale=1.0, size=a.shape), 0.0, 1.0)",
        (8, 28, 28),
        id="noise-clipped",
    ),
    pytest.param("x = np.zeros_like(np.ones((3, 7)))", (3, 7), id="zeros-like"),
    pytest.param("x = np.random.normal(size=y.shape)", None, id="size-of-an-unknown"),
    pytest.param("x = np.pad(np.ones((8, 28, 28)), ((0, 0), (2, 2), (2, 2)))", (8, 32, 32), id="pad"),
    pytest.param("x = np.pad(np.ones((8, 28, 28)), ((0, 0), (2, 2)))", None, id="pad-too-few-axes"),
    pytest.param("x = np.pad(np.ones((8, 28, 28)), 2)", None, id="pad-every-axis-not-followed"),
    pytest.param(
        "from sklearn.datasets import load_iris\niris = load_iris()\nx = iris['data']",
        (150, 4),
        id="bunch-key",
    ),
    pytest.param(
        "from sklearn.datasets import load_iris\niris = load_iris()\nx = iris['target']",
        None,
        id="bunch-other-key",
    ),
    # a mapped function is traced by map(): the layer it reads is the one bound then
    pytest.param(
        TEXTS
        + "vectorize = keras.layers.TextVectorization(200, output_mode='multi_hot', pad_to_max_tokens=True)\n"
        "first = raw.map(lambda x, y: (vectorize(x), y))\n"
        "vectorize = keras.layers.TextVectorization(output_sequence_length=40)\n"
        "x = raw.map(lambda x, y: (vectorize(x), y))",
        (None, 40),
        id="layer-rebound-before-the-map",
    ),
    pytest.param(
        TEXTS + "def prepare(ds):\n    return ds.map(lambda x, y: (vectorize(x), y))\n"
        "vectorize = keras.layers.TextVectorization(output_sequence_length=40)\nx = prepare(raw)",
        None,
        id="layer-rebound-map-in-a-function",
    ),
    # numpy's basic indexing, vectors
    pytest.param("a = np.ones((1000, 2))\nx = a[:500, :]", (None, 2), id="rows-and-every-column"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, 3:13]", (None, 10), id="columns-sliced"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, :-1]", (None, 13), id="columns-but-the-last"),
    pytest.param("a = np.ones((100, 14))\nx = a[::2, 1::3]", (None, 5), id="steps"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, 0]", (None,), id="a-column"),
    pytest.param("a = np.ones((100, 14, 3))\nx = a[:, 0, :]", (None, 3), id="an-index-between"),
    pytest.param("a = np.ones((100, 14))\nx = a[0]", None, id="one-sample"),
    pytest.param("a = np.ones((100, 14))\nx = a[None]", None, id="new-batch-axis"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, idx]", None, id="index-unknown"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, 0:k]", None, id="bound-unknown"),
    pytest.param("a = np.ones((100, 14))\nx = a[i * k : (i + 1) * k, 2:]", (None, 12), id="rows-unknown"),
    pytest.param("a = load()\nx = a[:, 0:8]", None, id="columns-of-an-unknown"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, :, None]", (None, 14, 1), id="a-new-last-axis"),
    pytest.param("a = np.ones((100, 14))\nx = a[:, :, :]", None, id="more-axes-than-there-are"),
    pytest.param("x = np.linspace(-1, 1, 200)[:, None]", (None, 1), id="linspace-column"),
    pytest.param("x = np.linspace(0, 1)[:, np.newaxis]", (None, 1), id="linspace-default-count"),
    pytest.param("x = np.arange(2, 30, 4)", (7,), id="arange"),
    pytest.param("x = np.arange(0.0, 1.0, 0.1)", None, id="arange-of-floats"),
    pytest.param("a = np.ones((100, 14))\nx = a[..., 0]", (100,), id="ellipsis-then-index"),
    # tensorflow_datasets catalogue entries read as (features, label)
    pytest.param(
        "(a, b), info = tfds.load('mnist', split=['train', 'test'], as_supervised=True, with_info=True)\n"
        "x = a.map(lambda i, l: (tf.cast(i, tf.float32) / 255.0, l)).batch(32)",
        (None, 28, 28, 1),
        id="tfds-splits-and-info",
    ),
    pytest.param(
        "x = tfds.load('cifar10:3.*.*', split='train', as_supervised=True, batch_size=64)",
        (None, 32, 32, 3),
        id="tfds-batched-by-load",
    ),
    pytest.param(
        "ds = tfds.load('tf_flowers', split='train[:80%]', as_supervised=True)\n"
        "x = ds.map(lambda i, l: (tf.image.resize(i, (180, 180)), l)).batch(8)",
        (None, 180, 180, 3),
        id="tfds-sizes-vary-then-resized",
    ),
    pytest.param(
        "ds = tfds.load('tf_flowers', split='train', as_supervised=True)\nx = ds.batch(8)",
        (None, None, None, 3),
        id="tfds-sizes-vary",
    ),
    pytest.param("x = tfds.load('mnist', split='train').batch(8)", None, id="tfds-dictionaries"),
    pytest.param(
        "x = tfds.load('my_dataset', split='train', as_supervised=True)", None, id="tfds-unknown-entry"
    ),
    pytest.param("x = tfds.load(name, split='train', as_supervised=True)", None, id="tfds-name-unknown"),
    pytest.param(
        "x = tfds.load('mnist', split=['train'], as_supervised=True)", None, id="tfds-a-tuple-taken-whole"
    ),
    pytest.param(
        "x = tfds.load('mnist', split='train', as_supervised=True, with_info=True)",
        None,
        id="tfds-with-info-taken-whole",
    ),
    pytest.param(
        "(a, b) = tfds.load('mnist', split=['train', 'test'], as_supervised=True, batch_size=bs)\nx = a",
        None,
        id="tfds-batch-size-unknown",
    ),
    pytest.param(
        "strategy = tf.distribute.MirroredStrategy()\nds = tf.data.Dataset.from_tensor_slices(np.zeros((64, 10)))\nx = strategy.experimental_distribute_dataset(ds.batch(8))",
        (None, 10),
        id="distributed-dataset",
    ),
    pytest.param(
        "strategy = tf.distribute.MirroredStrategy()\nds = tf.data.Dataset.from_tensor_slices(np.zeros((64, 10)))\nx = strategy.experimental_distribute_dataset(ds)",
        None,
        id="distributed-unbatched",
    ),
    pytest.param(
        "ds = tf.data.Dataset.from_tensor_slices(np.zeros((64, 10))).batch(8)\nx = other.experimental_distribute_dataset(ds)",
        None,
        id="distributed-by-something-else",
    ),
    pytest.param("x = pd.read_csv('table.csv').values", (None, 3), id="a-csv-beside"),
    pytest.param("x = pd.read_csv('table.csv', index_col=0)", (None, 2), id="a-csv-beside-its-index"),
    pytest.param("x = pd.read_csv('table.csv', sep=';')", (None, 1), id="a-csv-beside-another-separator"),
    pytest.param("x = pd.read_csv('table.csv', sep=SEP)", None, id="a-csv-beside-separator-unknown"),
    pytest.param("x = pd.read_csv('elsewhere.csv')", None, id="a-csv-not-beside"),
    pytest.param("x = np.loadtxt('table.csv', delimiter=',', skiprows=1)", (None, 3), id="loadtxt-beside"),
    pytest.param("x = np.load('x_train.npy')", (30, 28, 28), id="npy-beside"),
    pytest.param(
        "x = np.load('x_train.npy', allow_pickle=True)[:, :, :, None]",
        (None, 28, 28, 1),
        id="npy-beside-expanded",
    ),
    # tables: columns picked by a written list of names; augmenting generators
    pytest.param(
        "df = pd.read_csv('heart.csv')\nx = df[['age', 'chol', 'oldpeak']].values",
        (None, 3),
        id="columns-by-name",
    ),
    pytest.param(
        "COLUMNS = ['a', 'b']\ndf = pd.read_csv('d.csv')\nx = df[COLUMNS].to_numpy()",
        (None, 2),
        id="columns-by-a-constant",
    ),
    pytest.param("df = pd.read_csv('d.csv')\nx = df[cols]", None, id="columns-unknown"),
    pytest.param("df = pd.read_csv('d.csv')\nx = df[['a', name]]", None, id="a-column-name-unknown"),
    pytest.param("df = pd.read_csv('d.csv')\nx = df[[]]", None, id="no-columns"),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', axis=1).values",
        (None, 2),
        id="drop-a-column",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(columns=['a', 'b'])",
        (None, 1),
        id="drop-columns",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', 1)",
        (None, 2),
        id="drop-pandas-1-positional-axis",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(labels=['a'], axis='columns')",
        (None, 2),
        id="drop-labels-axis-named",
    ),
    pytest.param("df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a')", (None, 3), id="drop-a-row"),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(index=[0, 1], columns='c')",
        (None, 2),
        id="drop-rows-and-a-column",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(['a', 'a'], axis=1)",
        None,
        id="drop-a-column-twice",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(cols, axis=1)",
        None,
        id="drop-columns-unknown",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', axis=1, errors='ignore')",
        None,
        id="drop-errors-ignored",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', axis=1, inplace=True)",
        None,
        id="drop-in-place",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', axis=ax)", None, id="drop-axis-unknown"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop(['a', 'b', 'c', 'd'], axis=1)",
        None,
        id="drop-more-than-there-are",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', labels='b', axis=1)",
        None,
        id="drop-labels-twice",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop('a', axis=1, level=0)",
        None,
        id="drop-a-level",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.iloc[:, :-1]",
        (None, 2),
        id="iloc-columns-but-the-last",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.iloc[:, 0]", (None,), id="iloc-one-column"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.iloc[:100, 1:]",
        (None, 2),
        id="iloc-rows-and-columns",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.iloc[:, [0, 1]]", None, id="iloc-a-list"
    ),
    pytest.param("df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.iloc[0]", None, id="iloc-a-row"),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.dropna().values", (None, 3), id="dropna"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.drop_duplicates(subset=['a'])",
        (None, 3),
        id="drop-duplicates",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.sample(frac=0.5, random_state=1)",
        (None, 3),
        id="sample-rows",
    ),
    pytest.param("df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.fillna(0)", (None, 3), id="fillna"),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.reset_index(drop=True)",
        (None, 3),
        id="reset-index-dropped",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.reset_index()",
        None,
        id="reset-index-kept-as-a-column",
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.dropna(axis=1)", None, id="dropna-columns"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.dropna(inplace=True)", None, id="dropna-in-place"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.sample(5, True)", None, id="sample-positional"
    ),
    pytest.param(
        "df = pd.read_csv('d.csv')[['a', 'b', 'c']]\nx = df.loc[:, 'a':'b']", None, id="loc-by-label"
    ),
    pytest.param(
        "gen = keras.preprocessing.image.ImageDataGenerator(rotation_range=15)\nx = gen.flow(np.ones((8, 32, 32, 3)), y)",
        (8, 32, 32, 3),
        id="generator-flow",
    ),
    pytest.param("x = other.flow(np.ones((8, 32, 32, 3)), y)", None, id="flow-of-something-else"),
    # a name bound again under `if`: every branch that may reach the use must agree
    pytest.param("x = np.ones((8, 5))\nif flag:\n    x = x / 2", (8, 5), id="if-keeps-the-shape"),
    pytest.param("x = np.ones((8, 5))\nif flag:\n    x = x[:, :3]", None, id="if-changes-the-shape"),
    pytest.param(
        "x = np.ones((8, 5))\nif a:\n    x = x * 2\nelif b:\n    x = -x\nelse:\n    x = x.copy()",
        (8, 5),
        id="every-branch-agrees",
    ),
    pytest.param("x = np.ones((8, 5))\nfor _ in range(2):\n    x = x / 2", None, id="in-a-loop"),
    pytest.param(
        "x = np.ones((8, 5))\ntry:\n    x = x / 2\nexcept ValueError:\n    pass", None, id="in-a-try"
    ),
    pytest.param("if flag:\n    x = np.ones((8, 5))", None, id="only-under-if"),
    pytest.param(
        "x = np.ones((8, 5))\nif flag:\n    x = np.ones((8, 6))\nx = np.ones((8, 7))",
        (8, 7),
        id="if-before-the-last",
    ),
    pytest.param(
        "ds = tfds.load('tf_flowers', split='train', as_supervised=True)\n"
        "def prepare(ds, shuffle=False, augment=False):\n"
        "    ds = ds.map(lambda x, y: (tf.image.resize(x, (180, 180)), y))\n"
        "    if shuffle:\n        ds = ds.shuffle(1000)\n"
        "    ds = ds.batch(32)\n"
        "    if augment:\n        ds = ds.map(lambda x, y: (tf.image.resize(x, (180, 180)), y))\n"
        "    return ds.prefetch(1)\n"
        "x = prepare(ds, shuffle=True, augment=True)",
        (None, 180, 180, 3),
        id="a-pipeline-with-optional-steps",
    ),
    pytest.param(
        "resize = keras.Sequential([keras.layers.Resizing(64, 48), keras.layers.Rescaling(1 / 255)])\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(90, 90))\n"
        "x = ds.map(lambda x, y: (resize(x), y))",
        (None, 64, 48, 3),
        id="a-preprocessing-block-that-resizes",
    ),
    # axes by keyword, by position and from the end; what changes the shape refuses
    pytest.param("a = np.zeros((10, 3))\nx = np.stack([a, a], axis=2)", (10, 3, 2), id="stack-axis"),
    pytest.param("a = np.zeros((10, 3))\nx = np.stack([a, a], 1)", (10, 2, 3), id="stack-axis-positional"),
    pytest.param("a = np.zeros((10, 3))\nx = np.stack((a, a), -1)", (10, 3, 2), id="stack-axis-from-the-end"),
    pytest.param("a = np.zeros((10, 3))\nx = np.stack([a, a], 3)", None, id="stack-axis-out-of-range"),
    pytest.param(
        "a = np.zeros((10, 3))\nx = np.concatenate([a, a], 1)", (10, 6), id="concatenate-axis-positional"
    ),
    pytest.param("a = np.zeros((10, 3))\nx = np.concatenate([a, a], axis=None)", None, id="concatenate-flat"),
    pytest.param("a = np.zeros((10, 3))\nx = np.zeros_like(a, shape=(4, 5))", None, id="zeros-like-shape"),
    pytest.param("a = np.zeros((10, 3))\nx = np.array(a, ndmin=3)", None, id="array-ndmin"),
    pytest.param("x = tf.constant(0.0, tf.float32, (4, 5))", None, id="constant-shape-positional"),
    pytest.param("x = np.array([[1.0, 2.0]] * 4)", (4, 2), id="list-repeated"),
    pytest.param("x = np.array(3 * [[1.0, 2.0]])", (3, 2), id="list-repeated-from-the-left"),
    pytest.param("rows = [[1.0, 2.0]]\nx = np.array(rows + rows)", (2, 2), id="lists-joined"),
    pytest.param(
        "rows = [[1.0, 2.0]]\nrows.append([3.0, 4.0])\nx = np.array(rows)", None, id="list-appended"
    ),
    pytest.param("shape = [4, 5]\nshape.append(2)\nx = np.zeros(shape)", None, id="shape-appended"),
    pytest.param("shape = [4, 5]\nshape[1] = 6\nx = np.zeros(shape)", None, id="shape-item-written"),
    pytest.param(
        "shape = [4, 5]\ndef grow(s):\n    s.append(2)\ngrow(shape)\nx = np.zeros(shape)",
        None,
        id="shape-grown-by-a-helper",
    ),
    pytest.param("x = np.zeros((4, 5))\nz = x\nz.shape = (-1,)", None, id="alias-reshaped-in-place"),
    pytest.param("x = np.zeros((4, 5))\nz = np.asarray(x)\nz.shape = (-1,)", None, id="asarray-is-an-alias"),
    pytest.param("x = np.zeros((4, 5))\nglobals()['x'] = np.zeros(3)", None, id="globals-written"),
    pytest.param("x = np.zeros((4, 5))\nexec('x = np.zeros(3)')", None, id="exec-writes-it"),
    pytest.param("x = np.zeros((4, 5))\nsetattr(x, 'shape', (20,))", None, id="setattr-on-it"),
    pytest.param("x = np.zeros((4, 5))\nx[x > 0] = 1.0", (4, 5), id="items-written-keep-the-shape"),
    pytest.param("x = np.zeros((4, 5))\nexec('y = 1')", (4, 5), id="exec-of-another-name"),
    # image folders: every argument that changes the shape, by keyword or position
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', 'inferred', 'int', None, 'grayscale', 4, (12, 10))",
        (None, 12, 10, 1),
        id="image-folder-positional",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10), data_format='channels_first')",
        (None, 3, 12, 10),
        id="image-folder-channels-first",
    ),
    pytest.param(
        "keras.config.set_image_data_format('channels_first')\n"
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10))",
        None,
        id="image-folder-data-format-set-elsewhere",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10), batch_size=None)",
        None,
        id="image-folder-unbatched-fed",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10), batch_size=None).batch(2)",
        (None, 12, 10, 3),
        id="image-folder-unbatched-then-batched",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10)).batch(2)",
        None,
        id="image-folder-batched-twice",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10)).unbatch()",
        None,
        id="image-folder-unbatched-after",
    ),
    pytest.param(
        "x = keras.utils.image_dataset_from_directory('d', image_size=(12, 10), subset='both', validation_split=0.2, seed=1)",
        None,
        id="image-folder-both-subsets",
    ),
    pytest.param(
        "gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255, data_format='channels_first')\n"
        "x = gen.flow_from_directory('d', (12, 10))",
        None,
        id="flow-from-directory-channels-first",
    ),
    pytest.param(
        "gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)\n"
        "x = gen.flow_from_directory('d', (12, 10), 'grayscale')",
        (None, 12, 10, 1),
        id="flow-from-directory-positional",
    ),
    pytest.param(
        "inner = keras.Sequential([keras.layers.Resizing(64, 48)])\n"
        "resize = keras.Sequential([inner, keras.layers.Rescaling(1 / 255)])\n"
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(90, 90))\n"
        "x = ds.map(lambda x, y: (resize(x), y))",
        None,
        id="a-block-of-blocks-not-followed",
    ),
]


# data files beside the program, as `drivers.data_files` reads them (tests/test_data_files.py
# holds that reading and the reader to pandas and numpy on real files)
BESIDE = (
    DataFile("table.csv", ("a,b,c", "1,2,3", "4,5,6"), rows=40),
    DataFile("x_train.npy", array=(30, 28, 28)),
)


@pytest.mark.parametrize(("code", "shape"), SHAPES)
def test_shape_of(code: str, shape: tuple[int | None, ...] | None) -> None:
    with beside(BESIDE):
        assert shape_at_use(HEADER + code + "\nuse(x)\n") == shape


def test_a_global_assigned_twice_and_read_in_a_function_is_not_followed() -> None:
    """Which assignment a function sees depends on when it is called, not on the text."""
    source = HEADER + "x = np.ones((4, 5))\n\ndef train():\n    use(x)\n\nx = np.ones((4, 7))\ntrain()\n"
    assert shape_at_use(source) is None
    assert shape_at_use(source.replace("x = np.ones((4, 7))\n", "")) == (4, 5)


@pytest.mark.tensorflow
def test_keras_builds_the_original_with_the_shape_the_conversion_gives() -> None:
    """Run the original (fit, predict) and the conversion of cases/shape_from_fit_numpy: every
    model's input shape after Keras built it must equal the converted model's, batch aside
    (a Sequential first built by predict() keeps that call's batch size; the Input leaves it open)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    shapes = {}
    for side in ("before", "after"):
        namespace: dict[str, object] = {"__name__": f"shapes_{side}"}
        exec(compile((CASES / f"shape_from_fit_numpy.{side}.py").read_text(), side, "exec"), namespace)
        models = {name: namespace[name] for name in ("reg", "conv", "head")}
        shapes[side] = {name: tuple(model.inputs[0].shape)[1:] for name, model in models.items()}  # type: ignore[attr-defined]
    assert shapes["before"] == shapes["after"] == {"reg": (20,), "conv": (28, 28, 1), "head": (12,)}


@pytest.mark.tensorflow
def test_shifted_layer_indices_pick_the_same_layers() -> None:
    """cases/layers_index_shifted, run before and after: every `.layers[...]` picks layers of the
    same class and units (the functional Model lists its InputLayer first)."""

    def describe(picked: object) -> object:
        items = picked if isinstance(picked, list) else [picked]
        return [(type(layer).__name__, getattr(layer, "units", None)) for layer in items]

    seen = {}
    for side in ("before", "after"):
        namespace: dict[str, object] = {"__name__": f"layers_{side}"}
        exec(compile((CASES / f"layers_index_shifted.{side}.py").read_text(), side, "exec"), namespace)
        model, net = namespace["model"], namespace["net"]
        seen[side] = {
            "w": [w.shape for w in namespace["w"]],  # type: ignore[attr-defined]
            "last": describe(model.layers[-1]),  # type: ignore[attr-defined]
            "head": describe(namespace["head"]),
            "body": describe(namespace["body"]),
            "first_two": describe(namespace["first_two"]),
            "net": describe(net.layers[-1]),  # type: ignore[attr-defined]
        }
    assert seen["before"] == seen["after"]
    assert seen["after"]["body"] == [("Dense", 16), ("Dense", 4)]


@pytest.mark.tensorflow
def test_uses_of_the_model_mean_the_same_after() -> None:
    """cases/uses_of_the_model_keep_their_meaning, run before and after: len(), loops,
    comprehensions and get_layer(index=...) see the same layers."""
    import keras

    seen = {}
    for side in ("before", "after"):
        keras.backend.clear_session()  # the same generated layer names on both sides
        namespace: dict[str, object] = {"__name__": f"uses_{side}"}
        source = (CASES / f"uses_of_the_model_keep_their_meaning.{side}.py").read_text()
        exec(compile(source, side, "exec"), namespace)
        seen[side] = {
            "n": namespace["n"],
            "names": namespace["names"],
            "picked": [namespace[k].name for k in ("first", "second", "last", "by_name")],  # type: ignore[attr-defined]
            "frozen": [layer.trainable for layer in namespace["model"].layers[-2:]],  # type: ignore[attr-defined]
        }
    assert seen["before"] == seen["after"]
    assert seen["after"]["n"] == 2 and seen["after"]["frozen"] == [False, False]


def test_every_reader_answers_in_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should have, for every reader a family registers, a row of `SHAPES` it answers (a new
    source lands with its rows), and a row of `tests/test_notebook_outputs.py` for the reader of
    saved outputs, which needs a notebook."""
    answered: set[str] = set()

    def watched(source: registry.Source) -> Callable[..., Any]:
        def read(*args: Any) -> Any:
            found = source.read(*args)
            if found is not registry.NOT_MINE:
                answered.add(source.name)
            return found

        return read

    kinds = {source.kind for source in registry.SOURCES}
    monkeypatch.setattr(
        registry,
        "_READERS",
        {kind: tuple(watched(s) for s in registry.SOURCES if s.kind == kind) for kind in kinds},
    )
    for param in SHAPES:
        code, _ = param.values
        with beside(BESIDE):
            shape_at_use(HEADER + str(code) + "\nuse(x)\n")
    assert sorted({s.name for s in registry.SOURCES if s.kind != "unknown-name"} - answered) == []


def test_the_registry_is_whole() -> None:
    """Should register each family's readers once, each with its place among its kind's and
    a docstring, and list every module that registers one in the package's `FAMILIES`."""
    assert {s.family for s in registry.SOURCES} == {f.__name__.rpartition(".")[2] for f in shapes.FAMILIES}
    places = [(s.kind, s.order) for s in registry.SOURCES]
    assert len(places) == len(set(places))
    assert all(s.read.__doc__ for s in registry.SOURCES)
    with pytest.raises(ValueError, match="both take order 10"):
        registry.register("call", 10)(lambda *args: registry.NOT_MINE)
