"""Shapes that flow between the models of one file: what a model gives out, worked out from
its input and layers, so the model applied to that output can take it as its input
(`z = encoder(inputs); decoder(z)`, `keras.Sequential([keras.Input((6,)), block, ...])`).

Only layers whose output shape is plain arithmetic are followed (Dense, Flatten, Reshape,
and those that keep the shape); anything else ends the flow, and the model stays unknown.
Shapes are per sample, without the batch dimension.
"""

from __future__ import annotations

import math

import libcst as cst

from seq2func.analysis.find import INPUT, SEQUENTIAL, Analysis, find_constructions, keras_names, keyword_args
from seq2func.analysis.names import only_call
from seq2func.analysis.refs import model_refs
from seq2func.shapes.core import int_value
from seq2func.types import SampleShape

MAX_DEPTH = 8

_SAME = keras_names(
    "Dropout",
    "AlphaDropout",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "Activation",
    "ActivityRegularization",
    "BatchNormalization",
    "LayerNormalization",
    "UnitNormalization",
    "ReLU",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "Softmax",
)
_DENSE = keras_names("Dense")
_FLATTEN = keras_names("Flatten")
_RESHAPE = keras_names("Reshape")


def _literal_dims(expr: cst.BaseExpression | None) -> SampleShape | None:
    if not isinstance(expr, cst.Tuple | cst.List):
        return None
    dims: list[int | None] = []
    for element in expr.elements:
        value = element.value
        if isinstance(value, cst.Integer):
            dims.append(int(value.value, 0))
        elif isinstance(value, cst.Name) and value.value == "None":
            dims.append(None)
        else:
            return None
    return tuple(dims)


def _argument(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    given = keyword_args(call).get(keyword)
    if given is not None:
        return given.value
    first = call.args[0] if call.args else None
    return first.value if first is not None and first.keyword is None and not first.star else None


def layer_output(
    analysis: Analysis, layer: cst.BaseExpression, shape: SampleShape, depth: int = 0
) -> SampleShape | None:
    """The shape `layer` gives out for an input of `shape`, when it is plain arithmetic."""
    if isinstance(layer, cst.Name):
        return model_output(analysis, layer, shape, depth + 1)
    if not isinstance(layer, cst.Call) or not shape:
        return None
    if analysis.resolves_to(layer.func, _SAME):
        return shape
    if analysis.resolves_to(layer.func, _DENSE):
        units = _argument(layer, "units")
        count = int_value(analysis, units) if units is not None else None
        return (*shape[:-1], count) if count is not None else None
    if analysis.resolves_to(layer.func, _FLATTEN):
        known = [d for d in shape if d is not None]
        return (math.prod(known),) if len(known) == len(shape) else None
    if analysis.resolves_to(layer.func, _RESHAPE):
        target = _literal_dims(_argument(layer, "target_shape"))
        return target if target is not None and None not in target and -1 not in target else None
    return None


def through(
    analysis: Analysis, layers: list[cst.BaseExpression], shape: SampleShape | None, depth: int = 0
) -> SampleShape | None:
    for layer in layers:
        if shape is None:
            return None
        shape = layer_output(analysis, layer, shape, depth)
    return shape


def model_output(
    analysis: Analysis, name: cst.Name, shape: SampleShape, depth: int = 0
) -> SampleShape | None:
    """What the Sequential of this file bound to `name` gives out for an input of `shape`."""
    made = only_call(analysis, name)
    if depth > MAX_DEPTH or made is None or not analysis.resolves_to(made.func, SEQUENTIAL):
        return None
    return through(analysis, sequential_layers(analysis, made), shape, depth)


def sequential_layers(analysis: Analysis, made: cst.Call) -> list[cst.BaseExpression]:
    """The layers of a Sequential made by `made`, from its literal list (an Input first left
    out); a model that also adds layers is not followed."""
    construction = next((c for c in find_constructions(analysis)[0] if c.call is made), None)
    layers = _argument(made, "layers")
    if construction is None or not isinstance(layers, cst.List | cst.Tuple):
        return [cst.Name("__unknown__")]
    if any(ref.kind == "add" for ref in model_refs(analysis, construction)):
        return [cst.Name("__unknown__")]
    values = [e.value for e in layers.elements]
    if values and isinstance(values[0], cst.Call) and analysis.resolves_to(values[0].func, INPUT):
        values = values[1:]
    return values


def input_dims(analysis: Analysis, call: cst.Call) -> SampleShape | None:
    """The literal shape of `Input(shape=(...))` / `Input((...))`."""
    if not analysis.resolves_to(call.func, INPUT):
        return None
    return _literal_dims(_argument(call, "shape"))
