"""In the verifier's children: what is measured of one built model (parameters, weights,
inputs and outputs, its layers and their output shapes)."""

from __future__ import annotations

import json
from typing import Any

from seq2func.verify.verdict import LayerRow, ModelFacts, TensorSpec


def unique_variables(variables: list[Any]) -> list[Any]:
    seen: set[int] = set()
    out = []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def count(variables: list[Any]) -> int:
    import numpy as np

    return int(sum(np.prod(v.shape) for v in unique_variables(variables)))


def all_layers(model: Any) -> list[Any]:
    """Every layer object once, nested models opened up, in order."""
    import keras

    found: list[Any] = []
    seen: set[int] = set()

    def visit(layer: Any) -> None:
        for sub in getattr(layer, "layers", []):
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            if isinstance(sub, keras.Model):
                visit(sub)
            elif not is_input_layer(sub):
                found.append(sub)

    visit(model)
    return found


def dims(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def facts(model: Any) -> ModelFacts:
    return ModelFacts(
        params=count(model.weights),
        trainable=count(model.trainable_weights),
        non_trainable=count(model.non_trainable_weights),
        weight_shapes=[dims(v.shape) for v in unique_variables(model.weights)],
        inputs=[TensorSpec(dims(t.shape), dtype_name(t.dtype)) for t in model.inputs],
        outputs=[TensorSpec(dims(t.shape), dtype_name(t.dtype)) for t in model.outputs],
    )


def summary_rows(model: Any) -> list[LayerRow]:
    rows = []
    for layer in model.layers:
        if is_input_layer(layer):
            continue
        rows.append(
            LayerRow(layer.name, type(layer).__name__, output_shapes(layer) or "?", count(layer.weights))
        )
    return rows


def output_shapes(layer: Any) -> str:
    """What a layer gives, as Keras prints shapes: `(None, 16, 16, 64)`; a layer called on
    tensors of different shapes says so; "" when Keras knows none."""
    seen: list[tuple[tuple[int | None, ...], ...]] = []
    for node in getattr(layer, "_inbound_nodes", None) or []:
        try:
            shapes = tuple(tuple(dims(t.shape)) for t in node.outputs)
        except Exception:  # an output without a static shape
            continue
        if shapes and shapes not in seen:
            seen.append(shapes)
    if len(seen) > 1:
        return "shapes vary by call"
    return ", ".join(str(shape) for shape in seen[0]) if seen else ""


def kind_of(layer: Any) -> tuple[str, str, tuple[tuple[int, ...], ...]]:
    """What a layer is, apart from its name: class, configuration and weight shapes."""
    config = dict(layer.get_config())
    config.pop("name", None)
    return (
        type(layer).__name__,
        json.dumps(config, sort_keys=True, default=str),
        tuple(tuple(int(d) for d in w.shape) for w in layer.weights),
    )


def is_input_layer(layer: Any) -> bool:
    """An InputLayer of any Keras (TensorFlow's legacy `tensorflow.python.keras` has its own)."""
    return type(layer).__name__ == "InputLayer"


def dtype_name(dtype: Any) -> str:
    """`float32`, whichever Keras or TensorFlow made the dtype."""
    return str(getattr(dtype, "name", dtype))
