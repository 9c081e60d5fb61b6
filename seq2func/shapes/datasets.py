"""Datasets and loaders: tf.data pipelines (`from_tensor_slices`, `batch`, `map`, the steps
that keep what they yield), TensorFlow Datasets' catalogue, `keras.datasets`, image and text
folders (`image_dataset_from_directory`, `ImageDataGenerator.flow_from_directory`) and
`tf.image.resize`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keras_family, keyword_args
from seq2func.analysis.nodes import is_none
from seq2func.core.keras_api import DATASETS, TFDS_SUPERVISED
from seq2func.shapes.core import dims_of, int_of, shape_of, tuple_dims
from seq2func.shapes.registry import NOT_MINE, NotMine, Read, register
from seq2func.shapes.trace import (
    BOUND,
    ELEMENTWISE,
    MAX_DEPTH,
    TRACED,
    Value,
    agreed,
    arg,
    binding,
    helper_of,
    is_true,
    last_return,
    only_value,
    string_of,
    values_reaching,
)
from seq2func.types import BatchShape

IMAGE_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


# tf.data methods that keep what a dataset yields (batching is tracked apart)
_DATASET_KEEPS = frozenset(
    {"shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "with_options", "shard"}
)


@dataclass(frozen=True)
class Data:
    """What a tf.data pipeline yields: the shape of each part of its elements (features
    first; None where unknown), batch axis first, and whether it is batched yet."""

    parts: tuple[BatchShape | None, ...]
    batched: bool


def dataset(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> Data | None:
    """The pipeline `expr` is: `Dataset.from_tensor_slices`, a directory of images or texts,
    then `batch`, `map` and the steps that keep what it yields."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        values = values_reaching(analysis, expr, at)
        if values is None:
            return None  # changed in place since it was bound
        found = [
            dataset(analysis, value, where, depth + 1)
            if isinstance(value, cst.BaseExpression) and where is not None
            else None
            for value, where in values
        ]
        return agreed(found) if len(found) > 1 else found[0]  # under `if`: every branch agrees
    path: list[int] = []
    while isinstance(expr, cst.Subscript) and len(expr.slice) == 1:  # a part of what a call returns
        index = expr.slice[0].slice
        if not (isinstance(index, cst.Index) and isinstance(index.value, cst.Integer)):
            return None
        path.insert(0, int(index.value.value))
        expr = expr.value
    if not isinstance(expr, cst.Call):
        return None
    names = analysis.qualified_names(expr.func)
    if names & {"tensorflow_datasets.load", "tensorflow_datasets.core.load"}:
        return _tfds(analysis, expr, path, depth)
    if path:
        return None
    if "tensorflow.data.Dataset.from_tensor_slices" in names:
        tensors = arg(expr, 0, "tensors")
        if isinstance(tensors, cst.Tuple) and tensors.elements:  # (features, labels)
            parts = [e.value for e in tensors.elements if isinstance(e, cst.Element)]
            if len(parts) != len(tensors.elements):
                return None
            return Data(tuple(shape_of(analysis, part, at, depth + 1) for part in parts), batched=False)
        return (
            Data((shape_of(analysis, tensors, at, depth + 1),), batched=False)
            if tensors is not None
            else None
        )
    leaves = {name.rpartition(".")[2] for name in names if keras_family(name)}
    if leaves & {"image_dataset_from_directory", "text_dataset_from_directory"}:
        return _from_directory(analysis, expr, leaves, depth)
    if not isinstance(expr.func, cst.Attribute):
        return None
    method, receiver = expr.func.attr.value, expr.func.value
    if method == "experimental_distribute_dataset":
        return _distributed(analysis, expr, at, depth)
    if method not in _DATASET_KEEPS | {"batch", "padded_batch", "unbatch", "map"}:
        return None
    data = dataset(analysis, receiver, at, depth + 1)
    if data is None:
        return None
    if method in ("batch", "padded_batch"):  # batches of batches: no model is meant for them
        return None if data.batched else Data(data.parts, batched=True)
    if method == "unbatch":
        return Data(data.parts, batched=False) if data.batched else None
    if method == "map":
        return _mapped(analysis, expr, data, depth)
    return data


def _distributed(analysis: Analysis, call: cst.Call, at: CodePosition, depth: int) -> Data | None:
    """`strategy.experimental_distribute_dataset(batched)`, `strategy` a tf.distribute
    strategy: each replica takes a part of every batch, each element as the dataset's."""
    assert isinstance(call.func, cst.Attribute)
    made = only_value(analysis, call.func.value) if isinstance(call.func.value, cst.Name) else call.func.value
    if not (
        isinstance(made, cst.Call)
        and any(n.startswith("tensorflow.distribute.") for n in analysis.qualified_names(made.func))
    ):
        return None
    given = arg(call, 0, "dataset")
    data = dataset(analysis, given, at, depth + 1) if given is not None else None
    if data is None or not data.batched:
        return None
    return Data(tuple(None if p is None else (None, *p[1:]) for p in data.parts), batched=True)


def _tfds(analysis: Analysis, call: cst.Call, path: list[int], depth: int) -> Data | None:
    """`tfds.load("mnist", split=["train", "test"], as_supervised=True, with_info=True)`: a
    dataset of (features, label) of a catalogue entry whose shapes are known, picked out of
    what `load` returns by `path` ((datasets, info) with_info; a tuple of datasets for a list
    of splits). Anything not written plainly refuses."""
    if any(a.star for a in call.args):
        return None
    kwargs = keyword_args(call)
    name = string_of(arg(call, 0, "name") or cst.Name("None"))
    entry = TFDS_SUPERVISED.get((name or "").partition(":")[0])
    if entry is None or not is_true(kwargs.get("as_supervised")):
        return None
    if kwargs.get("with_info") is not None:
        if not is_true(kwargs.get("with_info")) or not path or path[0] != 0:
            return None
        path = path[1:]
    split = arg(call, 1, "split")
    if isinstance(split, cst.List | cst.Tuple):
        if len(path) != 1 or not 0 <= path[0] < len(split.elements):
            return None
    elif split is None or string_of(split) is None or path:
        return None
    batch = kwargs.get("batch_size")
    size = None if batch is None or is_none(batch.value) else int_of(analysis, batch.value, depth)
    if batch is not None and not is_none(batch.value) and size is None:
        return None
    return Data(((None, *entry[0]), None), batched=size is not None)


def _from_directory(analysis: Analysis, call: cst.Call, leaves: set[str], depth: int) -> Data | None:
    """`image_dataset_from_directory(..., image_size=(180, 180))`: batches of images (of
    image_size, color_mode channels); `text_dataset_from_directory`: batches of strings.
    With labels unless `label_mode=None`; batched unless `batch_size=None`."""
    images = "image_dataset_from_directory" in leaves
    if any(a.star for a in call.args):
        return None
    # directory, labels, label_mode, class_names, then (images) color_mode, batch_size,
    # image_size, ..., subset at 10; (texts) batch_size, max_length, ..., subset at 9
    subset = arg(call, 10 if images else 9, "subset")
    if subset is not None and not is_none(subset) and string_of(subset) not in ("training", "validation"):
        return None  # "both": two datasets
    features = image_shape(analysis, call, ("image_size", 6), ("color_mode", 4), depth) if images else (None,)
    if images and features is not None:
        channels_first = is_channels_first(analysis, arg(call, 15, "data_format"))
        if channels_first is None:
            return None
        features = (None, features[3], *features[1:3]) if channels_first else features
    label_mode = arg(call, 2, "label_mode")
    unlabelled = label_mode is not None and is_none(label_mode)
    if label_mode is not None and not unlabelled and not isinstance(label_mode, cst.SimpleString):
        return None  # labelled or not: not in the text
    batch = arg(call, 5 if images else 4, "batch_size")
    if batch is not None and not is_none(batch) and int_of(analysis, batch, depth) is None:
        return None
    parts = (features,) if unlabelled else (features, None)
    return Data(parts, batched=batch is None or not is_none(batch))


def is_channels_first(analysis: Analysis, given: cst.BaseExpression | None) -> bool | None:
    """Whether images come channels first: `data_format` as given, else Keras's setting,
    "channels_last" unless the file changes it (None: not known)."""
    if given is None or is_none(given):
        changes = any(
            name.rpartition(".")[2] == "set_image_data_format"
            for call in analysis.index().calls
            for name in analysis.qualified_names(call.func)
        )
        return None if changes else False
    return {"channels_first": True, "channels_last": False}.get(string_of(given) or "")


def _mapped(analysis: Analysis, call: cst.Call, data: Data, depth: int) -> Data | None:
    """`ds.map(fn)`: what `fn` returns, given what the dataset yields. `fn` is a lambda or a
    plain function of this file (see `returned_shape`); a tuple element is spread over its
    parameters, as tf.data does."""
    func = arg(call, 0, "map_func")
    if isinstance(func, cst.Lambda):
        params, returned = func.params, func.body
        where = analysis.range(func.body).start
    elif isinstance(func, cst.Name) and (helper := helper_of(analysis, func)) is not None:
        last = last_return(helper)
        if last is None:
            return None
        params, returned, where = helper.params, last, analysis.range(last).start
    else:
        return None
    positional = [*params.posonly_params, *params.params]
    if (
        params.star_arg is not cst.MaybeSentinel.DEFAULT
        or params.star_kwarg is not None
        or len(positional) < len(data.parts)
        or any(p.default is None for p in [*positional[len(data.parts) :], *params.kwonly_params])
    ):
        return None
    bound = dict(BOUND.get())
    for param, part in zip(positional, data.parts, strict=False):
        if part is not None:
            bound[id(param)] = (part, where)
    for param in [*positional[len(data.parts) :], *params.kwonly_params]:
        if param.default is not None:
            bound[id(param)] = (param.default, analysis.range(param.default).start)
    elementwise = ELEMENTWISE.set(ELEMENTWISE.get() or not data.batched)
    traced = TRACED.set(call)
    try:
        with binding(bound):
            if isinstance(returned, cst.Tuple):
                if any(not isinstance(e, cst.Element) for e in returned.elements):
                    return None
                parts = tuple(shape_of(analysis, e.value, where, depth + 1) for e in returned.elements)
            else:
                parts = (shape_of(analysis, returned, where, depth + 1),)
    finally:
        TRACED.reset(traced)
        ELEMENTWISE.reset(elementwise)
    return Data(parts, data.batched)


def resized(
    analysis: Analysis,
    images: cst.BaseExpression | None,
    size: cst.BaseExpression | None,
    at: CodePosition,
    depth: int,
) -> BatchShape | None:
    """`tf.image.resize(image, (h, w))`: images of rank 3 or 4 keep their batch and channels."""
    if images is None or size is None:
        return None
    shape = shape_of(analysis, images, at, depth + 1)
    dims = tuple_dims(analysis, size, depth)
    if shape is None or dims is None or len(dims) != 2 or None in dims or len(shape) < 3:
        return None
    return (*shape[:-3], *dims, shape[-1])


def image_shape(
    analysis: Analysis, call: cst.Call, size: tuple[str, int], color: tuple[str, int], depth: int
) -> BatchShape | None:
    """Batches of images, channels last: `image_size=(h, w)` / `target_size=(h, w)` (Keras's
    default is (256, 256)) and `color_mode` ("rgb" by default), each by keyword or at its
    position. Anything not written plainly refuses."""
    if any(a.star for a in call.args):
        return None
    given = arg(call, size[1], size[0])
    dims = (256, 256) if given is None else dims_of(analysis, given, depth)
    mode_arg = arg(call, color[1], color[0])
    mode = "rgb" if mode_arg is None else string_of(mode_arg)
    if dims is None or len(dims) != 2 or None in dims or mode not in IMAGE_CHANNELS:
        return None
    return (None, *dims, IMAGE_CHANNELS[mode])


def made_by(analysis: Analysis, receiver: cst.BaseExpression, leaf: str) -> bool:
    """`ImageDataGenerator(...)` itself, or a name bound once to one (a Keras class)."""
    value = only_value(analysis, receiver) if isinstance(receiver, cst.Name) else receiver
    return isinstance(value, cst.Call) and any(
        name.rpartition(".")[2] == leaf and keras_family(name)
        for name in analysis.qualified_names(value.func)
    )


# -- the readers ------------------------------------------------------------------------------


@register("call", 110, refuses=("a dataset not batched, or batched twice (each element a batch)",))
def pipeline(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """What fit() takes from a dataset: its features, in batches."""
    data = dataset(analysis, call, at, depth)
    if data is None:
        return NOT_MINE
    return data.parts[0] if data.batched else None


@register("call", 120)
def resized_call(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`tf.image.resize(images, (h, w))`."""
    if not names & {"tensorflow.image.resize", "keras.ops.image.resize"}:
        return NOT_MINE
    return resized(analysis, arg(call, 0, "images", "image"), arg(call, 1, "size"), at, depth)


@register("call", 150, refuses=("a generator whose data_format is channels-first or not written plainly",))
def generated(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`ImageDataGenerator(...).flow_from_directory(dir, target_size=(h, w))`, `.flow(x)`."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in ("flow_from_directory", "flow"):
        return NOT_MINE
    if not made_by(analysis, func.value, "ImageDataGenerator"):
        return NOT_MINE
    if func.attr.value == "flow":  # batches of x, augmented
        x = arg(call, 0, "x")
        return shape_of(analysis, x, at, depth + 1) if x is not None else None
    generator = only_value(analysis, func.value) if isinstance(func.value, cst.Name) else func.value
    made = generator if isinstance(generator, cst.Call) else None
    # ImageDataGenerator(featurewise_center, ..., data_format at 19, ...)
    if (
        made is None
        or any(a.star for a in made.args)
        or is_channels_first(analysis, arg(made, 19, "data_format")) is not False
    ):
        return None
    # flow_from_directory(directory, target_size, color_mode, classes, ...)
    return image_shape(analysis, call, ("target_size", 1), ("color_mode", 2), depth)


@register("expression", 30)
def pipeline_part(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> Read:
    """`tfds.load(...)[0]`: a part of what a call returns, when that is a dataset."""
    if not (isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Call | cst.Subscript)):
        return NOT_MINE
    data = dataset(analysis, expr, at, depth)
    if data is None:
        return NOT_MINE
    return data.parts[0] if data.batched else None


@register("unpack", 20)
def tfds_parts(analysis: Analysis, value: cst.BaseExpression, path: Sequence[int]) -> Value | NotMine | None:
    """`(train, test), info = tfds.load(...)`: read as `tfds.load(...)[0][1]`."""
    if not (
        isinstance(value, cst.Call)
        and analysis.qualified_names(value.func)
        & {"tensorflow_datasets.load", "tensorflow_datasets.core.load"}
    ):
        return NOT_MINE
    part: cst.BaseExpression = value
    for index in path:
        part = cst.Subscript(part, [cst.SubscriptElement(cst.Index(cst.Integer(str(index))))])
    return part


@register("unpack", 40)
def keras_dataset(
    analysis: Analysis, value: cst.BaseExpression, path: Sequence[int]
) -> Value | NotMine | None:
    """`(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()`: documented shapes."""
    if not (isinstance(value, cst.Call) and len(path) == 2 and path[1] == 0):
        return NOT_MINE
    for name in analysis.qualified_names(value.func):
        module, _, leaf = name.rpartition(".")
        loaded = module.rpartition(".")[2]
        if leaf == "load_data" and ".datasets." in f"{module}." and loaded in DATASETS:
            return DATASETS[loaded]
    return NOT_MINE
