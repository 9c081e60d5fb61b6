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
