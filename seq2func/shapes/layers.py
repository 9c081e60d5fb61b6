"""Layers applied to data: Keras's preprocessing layers that keep or set a shape
(`Rescaling`, `Resizing`, `TextVectorization`, a Sequential block of them) and
`pad_sequences`."""

from __future__ import annotations

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keras_family, keyword_args
from seq2func.shapes.core import int_of, shape_of
from seq2func.shapes.registry import NOT_MINE, Read, register
from seq2func.shapes.trace import arg, reaching_value, string_of
from seq2func.types import BatchShape

# Keras layers whose output has their input's shape (a block of them may be mapped over data)
_SHAPE_KEEPING_LAYERS = frozenset(
    {
        "Rescaling",
        "Normalization",
        "Activation",
        "Dropout",
        "GaussianNoise",
        "GaussianDropout",
        "RandomFlip",
        "RandomRotation",
        "RandomContrast",
        "RandomBrightness",
        "RandomTranslation",
        "RandomZoom",
    }
)


def layer_call(analysis: Analysis, call: cst.Call, at: CodePosition, depth: int) -> BatchShape | None:
    """A Keras layer of this file applied to data (`vectorize_layer(text)`, `rescale(x)`,
    `data_augmentation(x, training=True)`): the shape it gives, for the layers that say so."""
    if not isinstance(call.func, cst.Name) or not call.args or call.args[0].keyword or call.args[0].star:
        return None
    made, _ = reaching_value(analysis, call.func, at)
    if not isinstance(made, cst.Call):
        return None
    leaf = keras_leaf(analysis, made)
    if leaf is None:
        return None
    shape = shape_of(analysis, call.args[0].value, at, depth + 1)
    if shape is None:
        return None
    if leaf == "Sequential":  # a block of preprocessing layers (resize and rescale, augmentation)
        layers = arg(made, 0, "layers")
        if not isinstance(layers, cst.List) or not layers.elements:
            return None
        for element in layers.elements:
            if not isinstance(element, cst.Element) or not isinstance(element.value, cst.Call):
                return None
            inner = keras_leaf(analysis, element.value)
            following = (
                _preprocessed(analysis, element.value, inner, shape, depth) if inner != "Sequential" else None
            )
            if following is None:
                return None
            shape = following
        return shape
    return _preprocessed(analysis, made, leaf, shape, depth)


def _preprocessed(
    analysis: Analysis, made: cst.Call, leaf: str | None, shape: BatchShape, depth: int
) -> BatchShape | None:
    """What the preprocessing layer `made` (a `leaf` of Keras) gives for data of `shape`."""
    if leaf in _SHAPE_KEEPING_LAYERS:
        return shape
    if leaf == "Resizing":
        height, width = arg(made, 0, "height"), arg(made, 1, "width")
        if height is None or width is None:
            return None
        dims = (int_of(analysis, height, depth), int_of(analysis, width, depth))
        return None if None in dims or len(shape) < 3 else (*shape[:-3], *dims, shape[-1])
    if leaf == "TextVectorization":
        return _vectorized(analysis, made, shape, depth)
    return None


def keras_leaf(analysis: Analysis, call: cst.Call) -> str | None:
    """`Rescaling` for `layers.Rescaling(1 / 255)`: the Keras class a call makes, if it is one."""
    leaves = {name.rpartition(".")[2] for name in analysis.qualified_names(call.func) if keras_family(name)}
    return leaves.pop() if len(leaves) == 1 else None


def _vectorized(analysis: Analysis, layer: cst.Call, given: BatchShape, depth: int) -> BatchShape | None:
    """What `TextVectorization(...)` gives for a batch of strings (shape (n,) or (n, 1)):
    token ids, `output_sequence_length` long (any length when not given), or with
    `pad_to_max_tokens=True` one column per token. Anything not written plainly refuses."""
    if any(a.star for a in layer.args) or not (len(given) == 1 or (len(given) == 2 and given[1] == 1)):
        return None
    kwargs = keyword_args(layer)
    mode = string_of(kwargs["output_mode"].value) if "output_mode" in kwargs else "int"
    if "ragged" in kwargs or any(a.keyword is None for a in layer.args[1:]):
        return None
    if mode == "int":
        length = kwargs.get("output_sequence_length")
        if length is None:
            return (given[0], None)
        value = int_of(analysis, length.value, depth)
        return None if value is None else (given[0], value)
    padded = kwargs.get("pad_to_max_tokens")
    tokens = arg(layer, 0, "max_tokens")
    if (
        mode in ("multi_hot", "count", "tf_idf")
        and padded is not None
        and tokens is not None
        and isinstance(padded.value, cst.Name)
        and padded.value.value == "True"
    ):
        count = int_of(analysis, tokens, depth)
        return None if count is None else (given[0], count)
    return None


# -- the readers ------------------------------------------------------------------------------


@register("call", 80, refuses=("pad_sequences without a written maxlen=",))
def padded_sequences(
    analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int
) -> Read:
    """`pad_sequences(seqs, maxlen=200)`: rows of `maxlen` token ids."""
    if not any(name.rpartition(".")[2] == "pad_sequences" and keras_family(name) for name in names):
        return NOT_MINE
    maxlen = keyword_args(call).get("maxlen")
    length = int_of(analysis, maxlen.value, depth) if maxlen is not None else None
    return None if length is None else (None, length)


@register("call", 130)
def applied_layer(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """A preprocessing layer of this file applied to data (`vectorize_layer(text)`)."""
    found = layer_call(analysis, call, at, depth)
    return NOT_MINE if found is None else found
