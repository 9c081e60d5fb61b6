"""Notebook outputs: the shapes a notebook's saved outputs show (`x_train.shape` echoed,
`print(X.shape)`, a `model.summary()` table), held to the value they were shown for."""

from __future__ import annotations

from contextvars import ContextVar

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keyword_args
from seq2func.analysis.nodes import before
from seq2func.shapes.core import int_of, shape_of
from seq2func.shapes.layers import keras_leaf
from seq2func.shapes.registry import NOT_MINE, Read, register
from seq2func.shapes.trace import arg, changed, is_true, reaching
from seq2func.types import BatchShape, Observation, Observed, SummaryRow

# The observations a shape was taken from, while `observed_shape_of` follows one.
_USED: ContextVar[list[Observation] | None] = ContextVar("used", default=None)


def observed_shape_of(
    analysis: Analysis, expr: cst.BaseExpression, at: CodePosition
) -> tuple[BatchShape | None, list[Observation]]:
    """`shape_of`, and the saved outputs of a notebook it took the shape from, if any."""
    used: list[Observation] = []
    token = _USED.set(used)
    try:
        return shape_of(analysis, expr, at), used
    finally:
        _USED.reset(token)


def observed(analysis: Analysis, name: cst.Name, at: CodePosition) -> BatchShape | None:
    """The shape a saved output shows for `name` as bound where it is read: the output
    printed it while the same assignment held, and nothing between reshaped it in place
    (no method called on it, no item or attribute assigned)."""
    bound, _ = reaching(analysis, name, at)
    if bound is None:
        return None
    for seen in analysis.observed:
        if not isinstance(seen, Observation) or not _held(analysis, seen, name, bound, at):
            continue
        used = _USED.get()
        if used is not None:
            used.append(seen)
        return seen.shape
    return None


def _held(analysis: Analysis, seen: Observed, name: cst.Name, bound: cst.CSTNode, at: CodePosition) -> bool:
    """Whether what a saved output showed of `name` still holds at `at`: shown while the
    assignment `bound` held (the one that reaches `at`), and nothing between changed it in
    place (no method called on it, no item or attribute assigned)."""
    node = _names_by_position(analysis).get((seen.line, seen.column)) if seen.name == name.value else None
    if node is None or node.value != name.value or analysis.scope(node) is not analysis.scope(name):
        return False
    seen_at = analysis.range(node).start
    if reaching(analysis, node, seen_at)[0] is not bound or not before(seen_at, at):
        return False
    touched = _touches(analysis).get(name.value, ())
    if any(before(seen_at, t) and before(t, at) for t in touched):
        return False
    return not changed(analysis, name, seen_at, at, items=True)


def summarized_input(
    analysis: Analysis, target: cst.Name, first: cst.BaseExpression, at: CodePosition
) -> tuple[BatchShape, SummaryRow] | None:
    """The input a `target.summary()` table a notebook saved shows, for a model whose first
    layer is `Dense(units)` (`first`): the first row's parameters are inputs x units (+ units
    of bias), its output shape gives the other axes. Used only when the row agrees with the
    code (the class, the units) and the model the summary printed is this one (`target`
    bound where it is made, at `at`)."""
    if not isinstance(first, cst.Call) or keras_leaf(analysis, first) != "Dense":
        return None
    if "lora_rank" in keyword_args(first) or any(
        isinstance(call.func, cst.Attribute) and call.func.attr.value in ("enable_lora", "quantize")
        for call in analysis.index().calls
    ):  # LoRA and quantization add parameters of their own to the row
        return None
    units_arg = arg(first, 0, "units")
    units = int_of(analysis, units_arg, 0) if units_arg is not None else None
    bias = keyword_args(first).get("use_bias")
    plain = bias is not None and isinstance(bias.value, cst.Name) and bias.value.value == "False"
    if units is None or units <= 0 or (bias is not None and not plain and not is_true(bias)):
        return None
    for seen in analysis.observed:
        if not isinstance(seen, SummaryRow) or seen.layer != "Dense" or seen.output[-1:] != (units,):
            continue
        node = _names_by_position(analysis).get((seen.line, seen.column))
        if node is None or node.value != target.value or seen.name != target.value:
            continue
        printed_at = analysis.range(node).start
        if reaching(analysis, node, printed_at)[0] is not target or not before(at, printed_at):
            continue  # another model by that name, or printed before this one was made
        inputs, extra = divmod(seen.params - (0 if plain else units), units)
        if extra or inputs <= 0:
            continue
        return (*seen.output[:-1], inputs), seen
    return None


def _names_by_position(analysis: Analysis) -> dict[tuple[int, int], cst.Name]:
    return analysis.once(_index_names)


def _index_names(analysis: Analysis) -> dict[tuple[int, int], cst.Name]:
    found: dict[tuple[int, int], cst.Name] = {}
    lines = {seen.line for seen in analysis.observed}

    class OnShownLines(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            start = analysis.range(node).start
            if start.line in lines:
                found[(start.line, start.column)] = node

    analysis.module.visit(OnShownLines())
    return found


def _touches(analysis: Analysis) -> dict[str, list[CodePosition]]:
    return analysis.once(_index_touches)


# Methods that change nothing in place, whatever the receiver (a DataFrame, an array):
# what a notebook calls on its table between showing it and using it
_READING = frozenset(
    {
        "head", "tail", "info", "describe", "isnull", "isna", "notnull", "notna", "corr", "cov",
        "nunique", "value_counts", "duplicated", "select_dtypes", "to_numpy", "copy",
        "memory_usage", "count", "plot", "hist", "boxplot", "sample", "groupby", "unique",
    }
)  # fmt: skip
# ... and those that change it only when told to (`inplace=True`)
_UNLESS_INPLACE = frozenset(
    {"drop", "dropna", "fillna", "replace", "rename", "sort_values", "sort_index", "reset_index",
     "set_index", "drop_duplicates", "astype"}
)  # fmt: skip


def _reads_only(call: cst.Call) -> bool:
    """`df.head()`, `df.drop(columns=[...])`: a call that leaves its receiver as it was."""
    assert isinstance(call.func, cst.Attribute)
    method = call.func.attr.value
    if method in _READING:
        return True
    inplace = keyword_args(call).get("inplace")
    written_false = (
        inplace is not None and isinstance(inplace.value, cst.Name) and inplace.value.value == "False"
    )
    return (
        method in _UNLESS_INPLACE
        and (inplace is None or written_false)
        and not any(a.star for a in call.args)
    )


def _index_touches(analysis: Analysis) -> dict[str, list[CodePosition]]:
    """Where each name may be changed in place: `x.method(...)`, `x[...] = ...`,
    `x.attr = ...`, `del x[...]` (any depth: `x.loc[...] = ...`)."""
    found: dict[str, list[CodePosition]] = {}

    def root(expr: cst.BaseExpression) -> cst.Name | None:
        while isinstance(expr, cst.Attribute | cst.Subscript):
            expr = expr.value
        return expr if isinstance(expr, cst.Name) else None

    def add(expr: cst.BaseExpression) -> None:
        name = root(expr) if isinstance(expr, cst.Attribute | cst.Subscript) else None
        if name is not None:
            found.setdefault(name.value, []).append(analysis.range(expr).start)

    class Touches(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and not _reads_only(node):
                add(node.func)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            add(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            add(node.target)

        def visit_Del(self, node: cst.Del) -> None:
            add(node.target)

    analysis.module.visit(Touches())
    return found


@register("unknown-name", 10, refuses=("an output a later line may have changed", "a value bound under if"))
def shown(analysis: Analysis, name: cst.Name, at: CodePosition) -> Read:
    """A notebook's saved output of `x.shape` or `print(x.shape)` for the name's value."""
    return observed(analysis, name, at) if analysis.observed else NOT_MINE
