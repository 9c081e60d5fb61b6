"""The input a model's first layer declares (`input_shape=`, `input_dim=`,
`batch_input_shape=`, an Embedding's `input_length=`): the `Input(...)` that takes it over.
Below both `facts` (which must know it to plan) and `inputs` (which looks further)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from seq2func.analysis.find import EMBEDDING, RECURRENT, Analysis, keyword_args
from seq2func.analysis.nodes import drop_args
from seq2func.edits.parts import References, SkipConstruction


@dataclass
class InputSpec:
    expr: str | None  # code for the Input(...) expression; None: reuse an existing tensor
    source: str
    tensor: str | None = None  # existing Input tensor name used as the model input
    first_layer: str | None = None  # first layer code with its input arguments removed
    from_add: bool = False  # the first add() adds the Input itself (`m.add(keras.Input(...))`)
    replaced: cst.Call | None = None  # an InputLayer(...) call whose text the Input(...) replaces


def first_layer_input(
    analysis: Analysis, layer: cst.BaseExpression, refs: References, keras2: bool = False
) -> InputSpec | None:
    """input_shape=/input_dim=/batch_input_shape=/... on the first layer."""
    if not isinstance(layer, cst.Call):
        return None
    kwargs = keyword_args(layer)
    is_embedding = analysis.resolves_to(layer.func, EMBEDDING)
    code = analysis.code
    args: list[str] = []
    moved: set[str] = set()
    if "input_shape" in kwargs:
        args.append(f"shape={code(kwargs['input_shape'].value)}")
        moved.add("input_shape")
    elif "batch_input_shape" in kwargs:
        args.append(batch_shape_arg(analysis, kwargs["batch_input_shape"].value))
        moved.add("batch_input_shape")
    elif is_embedding and "input_length" in kwargs:
        args.append(f"shape=({code(kwargs['input_length'].value)},)")
    elif not is_embedding and "input_dim" in kwargs:
        if not analysis.is_keras(layer.func):
            raise SkipConstruction(
                kwargs["input_dim"],
                "input-dim-ambiguous",
                "the first layer is not a Keras layer, so its input_dim= may not be an input size",
            )
        if analysis.resolves_to(layer.func, RECURRENT):  # Keras 2: a sequence of input_dim features
            length = kwargs.get("input_length")
            args.append(
                f"shape=({code(length.value) if length else 'None'}, {code(kwargs['input_dim'].value)})"
            )
            moved.update({"input_dim", "input_length"} & kwargs.keys())
        else:
            args.append(f"shape=({code(kwargs['input_dim'].value)},)")
            moved.add("input_dim")
    else:
        return None
    if is_embedding and "input_length" in kwargs:
        moved.add("input_length")  # Keras 3 ignores it; the Input now carries the length
    if "batch_size" in kwargs:
        args.append(f"batch_size={code(kwargs['batch_size'].value)}")
        moved.add("batch_size")
    if "dtype" in kwargs and keras2:
        # Keras 2 gave the Sequential's input the first layer's dtype; Keras 3 leaves it float32
        args.append(f"dtype={code(kwargs['dtype'].value)}")
    stripped = drop_args(layer, moved)
    return InputSpec(
        f"{refs.input}({', '.join(args)})",
        "the first layer's " + "/".join(f"{m}=" for m in sorted(moved)),
        first_layer=analysis.module.code_for_node(stripped),
    )


def batch_shape_arg(analysis: Analysis, shape: cst.BaseExpression) -> str:
    """`(None, 10)` reads better as shape=(10,); anything else stays a batch_shape."""
    if isinstance(shape, cst.Tuple | cst.List) and shape.elements:
        first = shape.elements[0].value
        if isinstance(first, cst.Name) and first.value == "None":
            rest = [analysis.code(e.value) for e in shape.elements[1:]]
            return f"shape=({', '.join(rest)}{',' if len(rest) == 1 else ''})"
    return f"batch_shape={analysis.code(shape)}"
