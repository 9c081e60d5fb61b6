"""Tables: scikit-learn's datasets (`make_moons(n_samples=200)`, `load_iris().data`), its
splits and scalers, and a DataFrame's columns: picked by a written list of names, by
position (`df.iloc[:, :-1]`), or what is left of them after `df.drop(...)`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keyword_args
from seq2func.shapes.core import int_of, shape_of, subscript_shape
from seq2func.shapes.registry import NOT_MINE, NotMine, Read, register
from seq2func.shapes.trace import MAX_DEPTH, Value, arg, is_true, only_value, string_of
from seq2func.types import BatchShape

# scikit-learn's generators: (position, keyword, default) of n_samples, and of n_features
# or the fixed number of features; the features are what a model is fed (X of X, y).
SKLEARN_MADE: dict[str, tuple[int | None, int]] = {
    "make_moons": (None, 2),
    "make_circles": (None, 2),
    "make_blobs": (1, 2),
    "make_classification": (1, 20),
    "make_regression": (1, 100),
}


# scikit-learn's bundled datasets: the shape of their data (no download but the last).
SKLEARN_LOADED: dict[str, BatchShape] = {
    "load_iris": (150, 4),
    "load_wine": (178, 13),
    "load_breast_cancer": (569, 30),
    "load_digits": (1797, 64),
    "load_diabetes": (442, 10),
    "fetch_california_housing": (20640, 8),
}


def sklearn_features(analysis: Analysis, call: cst.Call, depth: int) -> BatchShape | None:
    """The X of `X, y = make_moons(...)` / `load_iris(return_X_y=True)`, or of `.data`."""
    for name in analysis.qualified_names(call.func):
        if not name.startswith("sklearn.datasets"):
            continue
        leaf = name.rpartition(".")[2]
        if leaf in SKLEARN_LOADED:
            return SKLEARN_LOADED[leaf]
        if leaf in SKLEARN_MADE:
            features_at, default = SKLEARN_MADE[leaf]
            samples = arg(call, 0, "n_samples")
            n = 100 if samples is None else int_of(analysis, samples, depth)
            features = arg(call, features_at, "n_features") if features_at is not None else None
            f = default if features is None else int_of(analysis, features, depth)
            return None if n is None or f is None else (n, f)
    return None


def columns(analysis: Analysis, expr: cst.Subscript, depth: int) -> BatchShape | None:
    """`df[["age", "chol", "oldpeak"]]`: a table of the columns a written list of names picks
    (a list is no key of a dict, nor an index of an array: run, it is a DataFrame's columns)."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    names: Value | None = expr.slice[0].slice.value
    if isinstance(names, cst.Name) and depth < MAX_DEPTH:
        names = only_value(analysis, names)
    if not isinstance(names, cst.List) or not names.elements:
        return None
    if not all(isinstance(e, cst.Element) and string_of(e.value) is not None for e in names.elements):
        return None
    return (None, len(names.elements))


def bunch_data(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """`bunch` of `bunch.data` or `bunch["data"]` (scikit-learn's datasets are both)."""
    if isinstance(expr, cst.Attribute) and expr.attr.value == "data":
        return expr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and string_of(index.value) == "data":
            return expr.value
    return None


SCALERS = {
    f"sklearn.preprocessing.{name}"
    for name in ("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer")
}


def is_scaler(analysis: Analysis, receiver: cst.BaseExpression) -> bool:
    """`StandardScaler()` itself, or a name bound once to one: transforms that keep the shape."""
    value = only_value(analysis, receiver) if isinstance(receiver, cst.Name) else receiver
    return isinstance(value, cst.Call) and bool(analysis.qualified_names(value.func) & SCALERS)


# -- the readers ------------------------------------------------------------------------------


@register("expression", 10)
def bunch(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> Read:
    """`load_iris().data`, `iris.data`, `iris["data"]`: a scikit-learn dataset's features."""
    holder = bunch_data(expr)
    if holder is None:
        return NOT_MINE
    made = only_value(analysis, holder) if isinstance(holder, cst.Name) else holder
    return sklearn_features(analysis, made, depth) if isinstance(made, cst.Call) else None


@register("expression", 20, refuses=("columns picked by anything but a written list of names",))
def picked_columns(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> Read:
    """`df[["age", "chol", "oldpeak"]]`: as many columns as names."""
    found = columns(analysis, expr, depth) if isinstance(expr, cst.Subscript) else None
    return NOT_MINE if found is None else found


@register("expression", 25)
def by_position(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> Read:
    """`df.iloc[:, :-1]`, `df.iloc[:, 0]`: a DataFrame indexed by position, as numpy indexes
    an array (`core.subscript_shape`)."""
    if not (isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Attribute)):
        return NOT_MINE
    if expr.value.attr.value != "iloc":
        return NOT_MINE
    return subscript_shape(analysis, expr.with_changes(value=expr.value.value), at, depth)


_ROWS, _COLUMNS = 0, 1


@register(
    "call",
    95,
    refuses=(
        "labels not written out as strings",
        "errors=, inplace=True, level= or an axis not written out",
        "a table whose shape is not read",
    ),
)
def dropped(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`df.drop(columns=["Outcome"])`, `df.drop("Outcome", axis=1)` (pandas 1's
    `df.drop("Outcome", 1)` too): the table without those columns (rows dropped leave the
    batch open). pandas refuses a label the table does not hold, so each one written goes."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "drop"):
        return NOT_MINE
    kwargs = keyword_args(call)
    positional = [a.value for a in call.args if a.keyword is None]
    if any(a.star for a in call.args) or len(positional) > 2:
        return None
    if set(kwargs) - {"labels", "axis", "index", "columns", "inplace"}:
        return None  # errors="ignore" drops what is there, level= a level's labels
    if ("labels" in kwargs and positional) or ("axis" in kwargs and len(positional) > 1):
        return None  # given twice: Python refuses the call
    if "inplace" in kwargs and (is_true(kwargs["inplace"]) or not _false(kwargs["inplace"].value)):
        return None
    labels = kwargs["labels"].value if "labels" in kwargs else positional[0] if positional else None
    axis_given = kwargs["axis"].value if "axis" in kwargs else positional[1] if len(positional) > 1 else None
    axis = _axis(analysis, axis_given, depth) if axis_given is not None else _ROWS
    columns, index = kwargs.get("columns"), kwargs.get("index")
    if axis is None or (labels is not None and (columns is not None or index is not None)):
        return None
    shape = shape_of(analysis, func.value, at, depth + 1)
    if shape is None or len(shape) != 2 or shape[1] is None:
        return None
    gone = _labels(columns.value) if columns is not None else _labels(labels) if axis == _COLUMNS else 0
    if gone is None or gone > shape[1]:
        return None
    rows = index is not None or (labels is not None and axis == _ROWS)
    return (None if rows else shape[0], shape[1] - gone)


# a DataFrame's methods that keep its columns: the rows some of them drop leave the batch open
_ROWS_DROPPED = frozenset({"dropna", "drop_duplicates", "sample"})
_ROWS_KEPT = frozenset({"fillna"})


@register("call", 96, refuses=("inplace=, axis= or anything but a literal argument by keyword",))
def rows_only(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`df.dropna()`, `df.drop_duplicates()`, `df.sample(frac=0.5)`, `df.fillna(0)`, and
    `df.reset_index(drop=True)`: the same columns."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return NOT_MINE
    method = func.attr.value
    kwargs = keyword_args(call)
    if method == "reset_index":
        if set(kwargs) != {"drop"} or not is_true(kwargs["drop"]) or call.args[0].keyword is None:
            return None  # without drop=True the index becomes a column
    elif method not in _ROWS_DROPPED | _ROWS_KEPT:
        return NOT_MINE
    elif {"inplace", "axis"} & set(kwargs) or any(a.star for a in call.args):
        return None
    elif method == "sample" and len([a for a in call.args if a.keyword is None]) > 1:
        return None  # positionally: n, frac, replace, weights, random_state, axis...
    shape = shape_of(analysis, func.value, at, depth + 1)
    if shape is None or len(shape) != 2:
        return NOT_MINE  # not a table whose shape is read (`np.random.sample((3, 4))` is numpy's)
    return shape if method in _ROWS_KEPT else (None, shape[1])


def _false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def _axis(analysis: Analysis, expr: cst.BaseExpression, depth: int) -> int | None:
    word = string_of(expr)
    if word is not None:
        return {"index": _ROWS, "rows": _ROWS, "columns": _COLUMNS}.get(word)
    number = int_of(analysis, expr, depth)
    return number if number in (_ROWS, _COLUMNS) else None


def _labels(expr: cst.BaseExpression | None) -> int | None:
    """How many labels `"a"` or `["a", "b"]` names (each written out, none twice)."""
    if expr is None:
        return None
    if isinstance(expr, cst.List | cst.Tuple):
        words = [string_of(e.value) if isinstance(e, cst.Element) else None for e in expr.elements]
    else:
        words = [string_of(expr)]
    if not words or None in words or len(set(words)) != len(words):
        return None
    return len(words)


@register("call", 90, refuses=("a transform of anything but a scikit-learn scaler",))
def scaled(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`scaler.fit_transform(X)`: scaling keeps the shape."""
    if not (isinstance(call.func, cst.Attribute) and call.func.attr.value in ("fit_transform", "transform")):
        return NOT_MINE
    if is_scaler(analysis, call.func.value):
        first = arg(call, 0, "X")
        return shape_of(analysis, first, at, depth + 1) if first is not None else None
    return None


@register("unpack", 10)
def split(analysis: Analysis, value: cst.BaseExpression, path: Sequence[int]) -> Value | NotMine | None:
    """`X_train, X_test, y_train, y_test = train_test_split(X, y)`: each array twice, in order."""
    if not (
        isinstance(value, cst.Call)
        and len(path) == 1
        and "sklearn.model_selection.train_test_split" in analysis.qualified_names(value.func)
    ):
        return NOT_MINE
    arrays = [a.value for a in value.args if a.keyword is None and not a.star]
    if path[0] // 2 < len(arrays):
        return cst.Subscript(arrays[path[0] // 2], [cst.SubscriptElement(cst.Slice(None, None))])
    return None


@register("unpack", 30)
def made_features(
    analysis: Analysis, value: cst.BaseExpression, path: Sequence[int]
) -> Value | NotMine | None:
    """`X, y = make_moons(...)`, `X, y = load_iris(return_X_y=True)`: X's shape."""
    if not (isinstance(value, cst.Call) and path == [0]):
        return NOT_MINE
    found = sklearn_features(analysis, value, 0)
    return NOT_MINE if found is None else found
