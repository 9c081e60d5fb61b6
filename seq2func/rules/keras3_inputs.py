"""S2F201-S2F203: a Sequential declares its input the Keras 2 way, on its first layer.

Keras 3 warns about `input_shape=` / `input_dim=` ("prefer using an `Input(shape)` object
as the first layer"), silently ignores `Embedding(input_length=...)` (the model stays
unbuilt), and rejects `batch_input_shape=`. The fix keeps the model a Sequential and gives
it an `Input(...)` first, built from the same arguments the converter moves (one function,
`first_input.first_layer_input`, serves both), so `check --fix --verify` proves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from seq2func.analysis.find import (
    EMBEDDING,
    KERAS2_FAMILIES,
    Analysis,
    Construction,
    find_constructions,
    keyword_args,
)
from seq2func.analysis.refs import model_refs
from seq2func.edits.first_input import first_layer_input
from seq2func.edits.imports import ImportItem, plan_imports
from seq2func.edits.parts import Edit, Part, References, SkipConstruction, Statement, Verbatim
from seq2func.rules.base import Invalid, Rule, RuleContext, Violation


@dataclass(frozen=True)
class _Declaration:
    code: str  # S2F201 / S2F202 / S2F203
    node: cst.CSTNode  # the argument that declares the input
    what: str
    fix: list[Edit]
    imports: list[ImportItem]
    no_fix: str | None = None


def _declared_by(analysis: Analysis, layer: cst.Call) -> tuple[str, cst.Arg, str] | None:
    kwargs = keyword_args(layer)
    embedding = analysis.resolves_to(layer.func, EMBEDDING)
    if "batch_input_shape" in kwargs:
        return "S2F203", kwargs["batch_input_shape"], "batch_input_shape="
    if embedding and "input_length" in kwargs:
        return "S2F202", kwargs["input_length"], "Embedding(input_length=...)"
    for key in ("input_shape", "input_dim"):
        if key in kwargs and not (key == "input_dim" and embedding):
            return "S2F201", kwargs[key], f"{key}="
    return None


def _first_layer(
    analysis: Analysis, c: Construction
) -> tuple[cst.BaseExpression | None, str, cst.CSTNode | None]:
    """The first layer, how it is given ("list", "add", "conditional add"), and its holder."""
    for arg in c.call.args:
        if (arg.keyword is None or arg.keyword.value == "layers") and isinstance(
            arg.value, cst.List | cst.Tuple
        ):
            elements = arg.value.elements
            return (elements[0].value, "list", arg.value) if elements else (None, "list", None)
    if c.target is None:
        return None, "list", None
    start = analysis.range(c.line).end.line
    adds = [
        r
        for r in model_refs(analysis, c)
        if r.kind == "add" and not r.nested_scope and r.range.start.line > start
    ]
    if not adds or adds[0].arg is None:
        return None, "add", None
    first = adds[0]
    if first.line is None or not analysis.in_block(c.block, first.line):
        return first.arg, "conditional add", None
    return first.arg, "add", first.line


def _fix(
    context: RuleContext, c: Construction, layer: cst.Call, how: str, holder: cst.CSTNode, refs: References
) -> list[Edit]:
    analysis = context.analysis
    keras2 = any(name.startswith(KERAS2_FAMILIES) for name in analysis.qualified_names(c.call.func))
    spec = first_layer_input(analysis, layer, refs, keras2)
    assert spec is not None and spec.expr is not None and spec.first_layer is not None
    if how == "add" and isinstance(holder, cst.SimpleStatementLine) and c.target is not None:
        model = analysis.code(c.target)
        parts: list[Part] = [
            Statement(f"{model}.add({spec.expr})"),
            Statement(f"{model}.add({spec.first_layer})"),
        ]
        return [Edit("replace", holder.body[0], parts)]
    start = analysis.range(layer).start
    line = context.lines[start.line - 1]
    if not line[: start.column].strip():  # the layer opens its line: the Input gets a line of its own
        newline = analysis.module.default_newline
        return [
            Edit(
                "replace", layer, [Verbatim(f"{spec.expr},{newline}{line[: start.column]}{spec.first_layer}")]
            )
        ]
    return [Edit("replace", layer, [Verbatim(f"{spec.expr}, {spec.first_layer}")])]


def declarations(context: RuleContext) -> Iterator[_Declaration]:
    """Every Sequential whose first layer declares the input, with the fix that moves it to an
    Input; computed once per module and shared by the three rules."""
    return iter(context.once(_declarations))


def _declarations(context: RuleContext) -> list[_Declaration]:
    analysis = context.analysis
    constructions, _ = find_constructions(analysis)
    plan = plan_imports(analysis)
    found = []
    for c in constructions:
        layer, how, holder = _first_layer(analysis, c)
        if not isinstance(layer, cst.Call) or not analysis.is_keras(layer.func):
            continue
        declared = _declared_by(analysis, layer)
        if declared is None:
            continue
        code, arg, what = declared
        if how == "conditional add" or holder is None:
            found.append(
                _Declaration(
                    code, arg, what, [], [], "the first layer is added conditionally [input-shape-unknown]"
                )
            )
            continue
        if plan.references.unreachable is not None:
            found.append(
                _Declaration(code, arg, what, [], [], f"{plan.references.unreachable} [import-unreachable]")
            )
            continue
        try:
            fix = _fix(context, c, layer, how, holder, plan.references)
        except SkipConstruction as refusal:
            found.append(_Declaration(code, arg, what, [], [], f"{refusal.message} [{refusal.code}]"))
            continue
        imports = [plan.add["input"]] if "input" in plan.add else []
        found.append(_Declaration(code, arg, what, fix, imports))
    return found


class _InputOnFirstLayer(Rule):
    fix_title = "Give the Sequential an Input(...) first"
    default = False  # Keras 3 migration: `check --select S2F2`
    MESSAGE = ""

    def check(self, context: RuleContext) -> Iterator[Violation]:
        for d in declarations(context):
            if d.code == self.code:
                yield Violation(d.node, self.MESSAGE.format(what=d.what), d.fix, d.no_fix, d.imports)


class InputShapeOnLayer(_InputOnFirstLayer):
    code = "S2F201"
    name = "input-shape-on-layer"
    summary = "input_shape= / input_dim= on a Sequential's first layer (Keras 3 warns)"
    MESSAGE = (
        "{what} on the first layer: Keras 3 warns and prefers an Input(shape) as the first layer "
        "of a Sequential."
    )
    VALID = (
        """
import keras
m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, input_shape=(99,))])
n = keras.Sequential([keras.layers.Dense(8)])
e = keras.Sequential([keras.layers.Embedding(100, 8, input_dim=7)])
""",
        """
import torch
m = torch.nn.Sequential(torch.nn.Linear(4, 8))
""",
    )
    INVALID = (
        Invalid(
            """
import keras
m = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)), keras.layers.Dense(1)])
""",
            fixed="""
import keras
m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
""",
            message="input_shape= on the first layer",
            range=(3, 64, 3, 80),
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
m = Sequential([
    Dense(8, input_dim=4),  # hidden
    Dense(1),
])
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense, Input
m = Sequential([
    Input(shape=(4,)),
    Dense(8),  # hidden
    Dense(1),
])
""",
            message="input_dim= on the first layer",
            range=(5, 14, 5, 25),
        ),
        Invalid(
            """
from tensorflow import keras
model = keras.models.Sequential()
model.add(keras.layers.Dense(8, input_shape=(4,)))  # first
model.add(keras.layers.Dense(1))
""",
            fixed="""
from tensorflow import keras
model = keras.models.Sequential()
model.add(keras.layers.Input(shape=(4,)))
model.add(keras.layers.Dense(8))  # first
model.add(keras.layers.Dense(1))
""",
            range=(4, 33, 4, 49),
        ),
        Invalid(
            """
import keras
model = keras.Sequential()
if True:
    model.add(keras.layers.Dense(8, input_shape=(4,)))
""",
            message="input_shape= on the first layer",
            range=(5, 37, 5, 53),
        ),
    )


class EmbeddingInputLength(_InputOnFirstLayer):
    code = "S2F202"
    name = "embedding-input-length"
    summary = (
        "Embedding(input_length=...) first in a Sequential (Keras 3 ignores it; the model stays unbuilt)"
    )
    MESSAGE = (
        "{what} is ignored by Keras 3, so the Sequential is not built until it is called; "
        "give it an Input(shape=(length,)) first."
    )
    VALID = (
        """
import keras
m = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Embedding(500, 16)])
""",
    )
    INVALID = (
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Embedding, LSTM
maxlen = 20
m = Sequential()
m.add(Embedding(500, 16, input_length=maxlen))
m.add(LSTM(8))
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Embedding, Input, LSTM
maxlen = 20
m = Sequential()
m.add(Input(shape=(maxlen,)))
m.add(Embedding(500, 16))
m.add(LSTM(8))
""",
            message="Embedding(input_length=...) is ignored by Keras 3",
            range=(6, 26, 6, 45),
        ),
    )


class BatchInputShape(_InputOnFirstLayer):
    code = "S2F203"
    name = "batch-input-shape"
    summary = "batch_input_shape= on a Sequential's first layer (Keras 3 rejects it)"
    MESSAGE = "{what} is rejected by Keras 3; give the Sequential an Input(batch_shape=...) first."
    VALID = (
        """
import keras
m = keras.Sequential([keras.Input(batch_shape=(32, 10)), keras.layers.Dense(2)])
""",
    )
    INVALID = (
        Invalid(
            """
import keras
m = keras.Sequential([keras.layers.Dense(2, batch_input_shape=(32, 10))])
""",
            fixed="""
import keras
m = keras.Sequential([keras.Input(batch_shape=(32, 10)), keras.layers.Dense(2)])
""",
            range=(3, 45, 3, 71),
        ),
        Invalid(
            """
import keras
m = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(None, 5, 3))])
""",
            fixed="""
import keras
m = keras.Sequential([keras.Input(shape=(5, 3)), keras.layers.LSTM(4)])
""",
            range=(3, 44, 3, 74),
        ),
    )
