"""What seq2func knows of Keras's API, shared by the static analysis (which reads code) and
the verifier's children (which run it): the methods that feed a model data, and the shapes
of the datasets Keras ships. Plain data: the children import it without LibCST."""

from __future__ import annotations

# Model methods whose first argument (or x=) is the data a model is fed: its shape, less the
# batch, is the model's input shape. The verifier's children run these with training stood in for.
FEED_METHODS = frozenset(
    {"fit", "evaluate", "predict", "predict_on_batch", "train_on_batch", "test_on_batch"}
)
# ... and as old code spells them too (Keras 2's generators, gone in Keras 3)
FEED_METHODS_ANY_VERSION = FEED_METHODS | {"fit_generator"}

# keras.datasets loaders: ((x_train, y_train), (x_test, y_test)), x's shape, the batch first.
DATASETS: dict[str, tuple[int | None, ...]] = {
    "mnist": (None, 28, 28),
    "fashion_mnist": (None, 28, 28),
    "cifar10": (None, 32, 32, 3),
    "cifar100": (None, 32, 32, 3),
    "boston_housing": (None, 13),
    "california_housing": (None, 8),
}

# tensorflow_datasets catalogue entries read with `as_supervised=True`: the shape of one
# example's features (None: it varies from example to example; () a single string), and
# their dtype. Images are uint8; texts are strings.
TFDS_SUPERVISED: dict[str, tuple[tuple[int | None, ...], str]] = {
    "mnist": ((28, 28, 1), "uint8"),
    "fashion_mnist": ((28, 28, 1), "uint8"),
    "kmnist": ((28, 28, 1), "uint8"),
    "emnist": ((28, 28, 1), "uint8"),
    "binary_alpha_digits": ((20, 16, 1), "uint8"),
    "cifar10": ((32, 32, 3), "uint8"),
    "cifar100": ((32, 32, 3), "uint8"),
    "svhn_cropped": ((32, 32, 3), "uint8"),
    "stl10": ((96, 96, 3), "uint8"),
    "eurosat": ((64, 64, 3), "uint8"),
    "colorectal_histology": ((150, 150, 3), "uint8"),
    "horses_or_humans": ((300, 300, 3), "uint8"),
    "rock_paper_scissors": ((300, 300, 3), "uint8"),
    "beans": ((500, 500, 3), "uint8"),
    "deep_weeds": ((256, 256, 3), "uint8"),
    "cats_vs_dogs": ((None, None, 3), "uint8"),
    "tf_flowers": ((None, None, 3), "uint8"),
    "malaria": ((None, None, 3), "uint8"),
    "food101": ((None, None, 3), "uint8"),
    "caltech101": ((None, None, 3), "uint8"),
    "oxford_flowers102": ((None, None, 3), "uint8"),
    "imdb_reviews": ((), "string"),
    "ag_news_subset": ((), "string"),
    "yelp_polarity_reviews": ((), "string"),
}
