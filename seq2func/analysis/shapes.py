"""Static shapes of the arrays a model is fed, for models that declare no input shape.

`model.fit(x_train, ...)` builds a Sequential with `x_train`'s shape. This follows such an
argument back, statically, to where its shape is written down: the `keras.datasets`
loaders (their shapes are documented), numpy / TensorFlow constructors with literal shapes
(`np.zeros((n, 784))`, `np.random.rand(100, 20)`, `tf.random.normal((4, 10))`), literal
nested lists, `reshape(-1, 28, 28, 1)`, `np.expand_dims`, `x[..., None]`, through steps
that keep the shape (`/ 255.0`, `.astype(...)`, `tf.cast`, slices of the first axis) and
`tf.data.Dataset.from_tensor_slices(...).batch(...)`.

A name is followed to the assignment that reaches the use: the last one before it, and
only when every earlier assignment runs unconditionally on the way (not under `if`/`for`).
Anything else is unknown (None), and an unknown anywhere means no shape is claimed.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from math import prod
from types import MappingProxyType
from typing import TypeVar

import libcst as cst
from libcst.metadata import Assignment
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keras_family, keyword_args
from seq2func.analysis.narrow import REFLECTIVE
from seq2func.analysis.nodes import before
from seq2func.core.keras_api import DATASETS, TFDS_SUPERVISED
from seq2func.core.records import record
from seq2func.types import BatchShape, Observation, Observed, SummaryRow

MAX_DEPTH = 24
T = TypeVar("T")

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
IMAGE_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}
# Constructors whose first argument (or shape=/size=) is the whole shape.
_SHAPE_FIRST = {
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.full",
    "tensorflow.zeros",
    "tensorflow.ones",
    "tensorflow.fill",
    "tensorflow.random.normal",
    "tensorflow.random.uniform",
    "keras.random.normal",
    "keras.random.uniform",
    "keras.ops.zeros",
    "keras.ops.ones",
}
# numpy's samplers, as functions of numpy.random or methods of a generator
# (`rng = np.random.default_rng(0)`, `np.random.RandomState(0)`): where `size` stands
_SIZE_AT = {
    "normal": 2,
    "uniform": 2,
    "randint": 2,
    "integers": 2,
    "binomial": 2,
    "poisson": 1,
    "exponential": 1,
    "random": 0,
    "random_sample": 0,
    "standard_normal": 0,
}
_SAMPLER_VARARGS = {"rand", "randn"}  # rand(100, 20)
_GENERATORS = {"numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.Generator"}
# Calls whose result has their first argument's shape.
_SAME_SHAPE = {
    "numpy.asarray",
    "numpy.array",
    "numpy.float32",
    "numpy.float64",
    "tensorflow.constant",
    "tensorflow.convert_to_tensor",
    "tensorflow.cast",
    "keras.ops.convert_to_tensor",
    "keras.ops.cast",
    "numpy.zeros_like",
    "numpy.ones_like",
    "numpy.full_like",
    "tensorflow.zeros_like",
    "tensorflow.ones_like",
    # element-wise functions
    *(
        f"numpy.{name}"
        for name in (
            "clip",
            "abs",
            "absolute",
            "sqrt",
            "square",
            "exp",
            "log",
            "log1p",
            "tanh",
            "sign",
            "round",
            "floor",
            "ceil",
            "nan_to_num",
        )
    ),
    "tensorflow.clip_by_value",
    "tensorflow.abs",
    "tensorflow.math.log",
    "tensorflow.math.log1p",
}
_SAME_SHAPE_METHODS = frozenset({"astype", "copy", "numpy", "to_numpy"})
# tf.data methods that keep what a dataset yields (batching is tracked apart)
_DATASET_KEEPS = frozenset(
    {"shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "with_options", "shard"}
)
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


def int_value(an: Analysis, expr: cst.BaseExpression) -> int | None:
    """The whole number `expr` is, when the code shows it (a literal, a constant, arithmetic)."""
    return _int(an, expr, 0)


def _int(an: Analysis, expr: cst.BaseExpression, depth: int) -> int | None:
    """A literal int, or a name bound once to one (`n_features = 20`)."""
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _int(an, expr.expression, depth)
        return None if inner is None else -inner
    if isinstance(expr, cst.Name | cst.Attribute) and depth < MAX_DEPTH:
        value = _only_value(an, expr) if isinstance(expr, cst.Name) else _class_constant(an, expr)
        return _int(an, value, depth + 1) if isinstance(value, cst.BaseExpression) else None
    if isinstance(expr, cst.BinaryOperation) and depth < MAX_DEPTH:  # IMG_SIZE * 2, SIDE // 4
        left, right = _int(an, expr.left, depth + 1), _int(an, expr.right, depth + 1)
        if left is None or right is None:
            return None
        operator = type(expr.operator)
        if operator is cst.FloorDivide:
            return left // right if right else None
        arithmetic = _ARITHMETIC.get(operator)
        return arithmetic(left, right) if arithmetic is not None else None
    return None


_ARITHMETIC = {
    cst.Add: lambda a, b: a + b,
    cst.Subtract: lambda a, b: a - b,
    cst.Multiply: lambda a, b: a * b,
}


def _class_constant(an: Analysis, expr: cst.Attribute) -> cst.BaseExpression | None:
    """`Config.IMG_SIZE` or `cfg.IMG_SIZE` (`cfg = Config()`, a class with no `__init__`):
    a constant of a class of this file, bound once in its body and never assigned to an
    attribute of that name anywhere in the file."""
    holder = _class_of(an, expr.value)
    if holder is None:
        instance = _only_value(an, expr.value) if isinstance(expr.value, cst.Name) else None
        if isinstance(instance, cst.Call) and not instance.args:  # cfg = Config()
            holder = _class_of(an, instance.func)
            if holder is not None and _class_binds(holder, "__init__"):
                return None
    name = expr.attr.value
    assigned = attributes_assigned(an)
    if holder is None or name in assigned or "*" in assigned or _class_binds(holder, name) != 1:
        return None
    for statement in holder.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign | cst.AnnAssign) and _binds(small, name):
                    return small.value
    return None


def _class_of(an: Analysis, expr: cst.BaseExpression) -> cst.ClassDef | None:
    """The class of this file `expr` names: bound once, by a plain `class` (no bases, no
    decorator but @dataclass, no __post_init__)."""
    if not isinstance(expr, cst.Name):
        return None
    assignments = _assignments(an, expr)
    node = assignments[0].node if len(assignments) == 1 else None
    if not isinstance(node, cst.ClassDef) or node.bases or _class_binds(node, "__post_init__"):
        return None
    decorators = [d.decorator for d in node.decorators]
    if all(
        an.qualified_names(d.func if isinstance(d, cst.Call) else d) & {"dataclasses.dataclass"}
        for d in decorators
    ):  # a dataclass made with no arguments holds its fields' defaults
        return node
    return None


def _binds(statement: cst.Assign | cst.AnnAssign, name: str) -> bool:
    targets = (
        [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
    )
    return any(isinstance(t, cst.Name) and t.value == name for t in targets)


def _class_binds(holder: cst.ClassDef, name: str) -> int:
    """How many statements of the class body bind `name` (assignments, defs, anything else
    that binds is counted as two: not a plain constant)."""
    count = 0
    for statement in holder.body.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            count += 2 if statement.name.value == name else 0
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign | cst.AnnAssign)
                    and small.value is not None
                    and _binds(small, name)
                ):
                    count += 1
                elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                    count += 2 if small.target.value == name else 0
        elif name in _names_in(statement):
            count += 2
    return count


def _names_in(statement: cst.CSTNode) -> set[str]:
    """Every name a statement mentions (a compound statement in a class body may bind any)."""
    found: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    statement.visit(Names())
    return found


def attributes_assigned(an: Analysis) -> frozenset[str]:
    """Every attribute name the file assigns to (`x.a = ...`, `x.a += ...`); "*" when it
    calls `setattr` or `delattr` (any attribute may change)."""
    found = an.module_facts.attributes if an.module_facts is not None else assigned_attributes(an)
    return frozenset(name for _, name in found)


def assigned_attributes(an: Analysis) -> tuple[tuple[int, str], ...]:
    """`attributes_assigned` of this analysis's own code, each with its line."""
    return an.once(_attributes_assigned)


def _attributes_assigned(an: Analysis) -> tuple[tuple[int, str], ...]:
    found: set[tuple[int, str]] = set()

    def add(target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute):
            found.add((an.range(target).start.line, target.attr.value))
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                add(element.value)

    index = an.index()
    for target in index.targets:
        add(target)
    for call in index.calls:
        if isinstance(call.func, cst.Name) and call.func.value in ("setattr", "delattr"):
            found.add((an.range(call).start.line, "*"))
    return tuple(sorted(found))


def dims_value(an: Analysis, expr: cst.BaseExpression) -> BatchShape | None:
    """The dimensions `expr` writes (`(IMG_SIZE, IMG_SIZE) + (3,)`, `Config.SHAPE`, `784`)."""
    return _dims(an, expr, 0)


def _dims(an: Analysis, expr: cst.BaseExpression, depth: int) -> BatchShape | None:
    """`(100, 20)`, `[100, 20]` or `100` as a shape; a name bound once to one (`SIZE = (64, 64)`)."""
    written = _tuple_dims(an, expr, depth)
    if written is not None:
        return written
    single = _int(an, expr, depth)
    return None if single is None else (single,)


def _tuple_dims(an: Analysis, expr: cst.BaseExpression, depth: int) -> BatchShape | None:
    """A tuple or list of dimensions: written out, by name (`IMG_SHAPE`, `Config.SHAPE`), or
    joined (`(IMG_SIZE, IMG_SIZE) + (3,)`, `IMG_SIZE_2D + (1,)`)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Tuple | cst.List):
        if any(not isinstance(e, cst.Element) for e in expr.elements):
            return None
        return tuple(_int(an, e.value, depth) for e in expr.elements)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "shape":  # size=x.shape
        return shape_of(an, expr.value, an.range(expr).start, depth + 1)
    if isinstance(expr, cst.Name | cst.Attribute):
        value = _only_value(an, expr) if isinstance(expr, cst.Name) else _class_constant(an, expr)
        return _tuple_dims(an, value, depth + 1) if isinstance(value, cst.BaseExpression) else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left, right = _tuple_dims(an, expr.left, depth + 1), _tuple_dims(an, expr.right, depth + 1)
        return None if left is None or right is None else (*left, *right)
    return None


def _nested(expr: cst.BaseExpression) -> BatchShape | None:
    """The shape of a literal nested list of numbers."""
    if not isinstance(expr, cst.List | cst.Tuple):
        return () if isinstance(expr, cst.Integer | cst.Float | cst.UnaryOperation) else None
    shapes = {_nested(e.value) for e in expr.elements if isinstance(e, cst.Element)}
    if len(shapes) != 1 or None in shapes or len(expr.elements) == 0:
        return None
    [inner] = shapes
    return None if inner is None else (len(expr.elements), *inner)


def _arg(call: cst.Call, position: int, *keywords: str) -> cst.BaseExpression | None:
    kwargs = keyword_args(call)
    for key in keywords:
        if key in kwargs:
            return kwargs[key].value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


def _reshaped(
    an: Analysis, source: cst.BaseExpression, target: list[cst.BaseExpression], at: CodePosition, depth: int
) -> BatchShape | None:
    """`x.reshape(-1, 784)`, `x.reshape(len(x), -1)`, `np.reshape(x, (x.shape[0], 28, 28, 1))`:
    the batch axis stays first; a -1 after it is worked out from the shape of `x`."""
    dims = tuple(_int(an, d, depth) for d in target)
    if _ELEMENTWISE.get():  # the first dimension written is not the batch
        return None
    if not dims or -1 not in dims[1:]:
        return _reshape(dims)
    shape = shape_of(an, source, at, depth + 1)
    if shape is None or not _same_batch(an, source, target[0], dims[0], shape[0]):
        return None
    known = [d for d in dims[1:] if d != -1]
    sizes = [d for d in known if d is not None and d > 0]
    if dims[1:].count(-1) != 1 or None in shape[1:] or len(sizes) != len(known):
        return None
    size, rest = prod(d for d in shape[1:] if d is not None), prod(sizes)
    if size % rest:
        return None
    return (shape[0], *(size // rest if d == -1 else d for d in dims[1:]))


def _same_batch(
    an: Analysis, source: cst.BaseExpression, batch: cst.BaseExpression, value: int | None, known: int | None
) -> bool:
    """`len(x)` or `x.shape[0]` of the array being reshaped, or its batch size written out."""
    if value is not None:
        return value == known
    if isinstance(batch, cst.Call) and isinstance(batch.func, cst.Name) and batch.func.value == "len":
        return len(batch.args) == 1 and batch.args[0].value.deep_equals(source)
    if isinstance(batch, cst.Subscript) and len(batch.slice) == 1:
        index = batch.slice[0].slice
        shape = batch.value
        return (
            isinstance(index, cst.Index)
            and isinstance(index.value, cst.Integer)
            and index.value.value == "0"
            and isinstance(shape, cst.Attribute)
            and shape.attr.value == "shape"
            and shape.value.deep_equals(source)
        )
    return False


def _reshape(target: BatchShape | None) -> BatchShape | None:
    """reshape(-1, 28, 28, 1) or reshape(x.shape[0], 784): the batch may be anything, the
    other dimensions must be known (a -1 among them is not worked out)."""
    if not target or any(d is None or d < 0 for d in target[1:]) or _ELEMENTWISE.get():
        return None
    return (None, *target[1:])


def _vector(an: Analysis, call: cst.Call, how: str, depth: int) -> BatchShape | None:
    """`np.linspace(-1, 1, 200)` (50 points by default), `np.arange(n)` / `np.arange(a, b, step)`
    of whole numbers: a vector and its length."""
    if any(a.star for a in call.args):
        return None
    if how == "linspace":
        count = _arg(call, 2, "num")
        value = 50 if count is None else _int(an, count, depth)
        return None if value is None or value < 0 else (value,)
    positional = [a.value for a in call.args if a.keyword is None]
    if call.args[len(positional) :] or not 1 <= len(positional) <= 3:
        return None
    bounds = [_int(an, value, depth) for value in positional]
    if None in bounds or (len(bounds) == 3 and bounds[2] == 0):
        return None
    return (len(range(*(b for b in bounds if b is not None))),)


def _padded(
    an: Analysis, shape: BatchShape | None, widths: cst.BaseExpression, depth: int
) -> BatchShape | None:
    """`np.pad(x, ((0, 0), (2, 2), (2, 2)))`: each axis grows by what is added before and after."""
    if shape is None or not isinstance(widths, cst.Tuple | cst.List) or len(widths.elements) != len(shape):
        return None
    grown: list[int | None] = []
    for dim, pair in zip(shape, (e.value for e in widths.elements), strict=True):
        added = _tuple_dims(an, pair, depth)
        if added is None or len(added) != 2 or None in added:
            return None
        grown.append(None if dim is None else dim + sum(a for a in added if a is not None))
    return tuple(grown)


def _expand(shape: BatchShape | None, axis: int | None) -> BatchShape | None:
    if shape is None or axis is None or (axis >= 0 and _ELEMENTWISE.get()):
        return None
    position = len(shape) + 1 + axis if axis < 0 else axis
    if not 0 < position <= len(shape):  # the batch axis must stay first
        return None
    return (*shape[:position], 1, *shape[position:])


def _call_shape(an: Analysis, call: cst.Call, at: CodePosition, depth: int) -> BatchShape | None:
    helper = _helper(an, call.func)
    if helper is not None:
        return _returned_shape(an, call, helper, at, depth)
    names = an.qualified_names(call.func)
    if names & _SHAPE_FIRST:
        shape = _arg(call, 0, "shape", "size")
        return _dims(an, shape, depth) if shape is not None else None
    if names & {"numpy.linspace", "numpy.arange"}:  # a vector: num= points, or range(...)'s length
        return _vector(an, call, "linspace" if "numpy.linspace" in names else "arange", depth)
    sampler = _sampler(an, call, names)
    if sampler is not None:
        if sampler in _SAMPLER_VARARGS:  # rand(2, 3), rand(*(2, 3)), rand(*shape)
            dims: list[int | None] = []
            for a in (a for a in call.args if a.keyword is None):
                if not a.star:
                    dims.append(_int(an, a.value, depth))
                    continue
                spread = _dims(an, a.value, depth) if a.star == "*" else None
                if spread is None or not isinstance(a.value, cst.Tuple | cst.List | cst.Name):
                    return None  # what is spread is not known: never a guess
                dims += spread
            return tuple(dims) or None
        size = _arg(call, _SIZE_AT[sampler], "size")
        return _dims(an, size, depth) if size is not None else None
    if names & _SAME_SHAPE:
        first = _arg(call, 0, "x", "value", "object", "a")
        positional = [a for a in call.args if a.keyword is None]
        keywords = keyword_args(call)
        reshaped = "shape" in keywords or "ndmin" in keywords or any(a.star for a in call.args)
        if names & {"tensorflow.constant"}:  # constant(value, dtype, shape)
            reshaped = reshaped or len(positional) > 2
        elif any(name.endswith("_like") for name in names):  # zeros_like(a, dtype, order, subok, shape)
            reshaped = reshaped or len(positional) > 3
        if first is None or reshaped:
            return None
        if _python_sequence(an, first, at) or isinstance(first, cst.BinaryOperation):
            nested = _nested_value(an, first, at, depth)
            if nested is not None or _python_sequence(an, first, at):
                return nested
        return shape_of(an, first, at, depth + 1)
    if names & {"numpy.reshape", "tensorflow.reshape", "keras.ops.reshape"}:
        source, target = _arg(call, 0, "a", "tensor", "x"), _arg(call, 1, "newshape", "shape")
        if source is None or target is None:
            return None
        if not isinstance(target, cst.Tuple | cst.List):
            return _reshape(_dims(an, target, depth))
        return _reshaped(an, source, [e.value for e in target.elements], at, depth)
    if names & {"numpy.pad", "tensorflow.pad"}:
        first, widths = _arg(call, 0, "array", "tensor"), _arg(call, 1, "pad_width", "paddings")
        if first is None or widths is None or _ELEMENTWISE.get():
            return None
        return _padded(an, shape_of(an, first, at, depth + 1), widths, depth)
    if names & {"numpy.expand_dims", "tensorflow.expand_dims", "keras.ops.expand_dims"}:
        first, axis = _arg(call, 0, "a", "input", "x"), _arg(call, 1, "axis")
        if first is None or axis is None:
            return None
        return _expand(shape_of(an, first, at, depth + 1), _int(an, axis, depth))
    if any(name.rpartition(".")[2] == "pad_sequences" and keras_family(name) for name in names):
        maxlen = keyword_args(call).get("maxlen")
        length = _int(an, maxlen.value, depth) if maxlen is not None else None
        return None if length is None else (None, length)
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in ("fit_transform", "transform"):
        if _is_scaler(an, call.func.value):  # scaling keeps the shape
            first = _arg(call, 0, "X")
            return shape_of(an, first, at, depth + 1) if first is not None else None
        return None
    joined = {name.rpartition(".")[2] for name in names if name.startswith("numpy.")} & _JOINS
    if joined:
        return _joined(an, call, joined.pop(), at, depth)
    data = _dataset(an, call, at, depth)
    if data is not None:  # what fit() takes from a dataset: its features, in batches
        return data.parts[0] if data.batched else None  # each element a batch: never meant
    if names & {"tensorflow.image.resize", "keras.ops.image.resize"}:
        return _resized(an, _arg(call, 0, "images", "image"), _arg(call, 1, "size"), at, depth)
    layer = _layer_call(an, call, at, depth)
    if layer is not None:
        return layer
    if isinstance(call.func, cst.Attribute):
        return _method_shape(an, call, call.func, at, depth)
    return None


# what each parameter of the helpers being followed is bound to: the argument of the call
# followed (and where that call stands), or the parameter's default
Bound = Mapping[int, tuple["Value", CodePosition]]  # id(Param) -> value, where it stands
_BOUND: ContextVar[Bound] = ContextVar("bound", default=MappingProxyType({}))


def _helper(an: Analysis, func: cst.BaseExpression) -> cst.FunctionDef | None:
    """The function of this file `func` names, when its name is bound once, by that `def`."""
    if not isinstance(func, cst.Name):
        return None
    assignments = _assignments(an, func)
    if len(assignments) != 1 or not isinstance(assignments[0].node, cst.FunctionDef):
        return None
    return assignments[0].node


def _returned_shape(
    an: Analysis, call: cst.Call, helper: cst.FunctionDef, at: CodePosition, depth: int
) -> BatchShape | None:
    """`x = vectorize_sequences(train_data)`: the shape of what the helper returns, its
    parameters bound to the call's arguments or their defaults. Only a helper with one
    `return`, its last statement, and no `*args`, `**kwargs`, `yield` or decorator."""
    returned = _last_return(helper)
    bound = _bind(an, call, helper.params, at) if returned is not None else None
    if returned is None or bound is None:
        return None
    with _binding(bound):
        return shape_of(an, returned, an.range(returned).start, depth + 1)


def _last_return(helper: cst.FunctionDef) -> cst.BaseExpression | None:
    """What a plain helper returns: its one `return`, its last statement (no `yield`, no
    decorator, not async)."""
    body = helper.body.body if isinstance(helper.body, cst.IndentedBlock) else ()
    last = body[-1] if body else None
    if (
        helper.decorators
        or helper.asynchronous
        or not isinstance(last, cst.SimpleStatementLine)
        or not isinstance(last.body[0], cst.Return)
        or _returns_and_yields(helper) != 1
    ):
        return None
    return last.body[0].value


def _returns_and_yields(helper: cst.FunctionDef) -> int:
    """How many `return` and `yield` the helper holds itself (not in functions it defines)."""
    count = 0

    class Count(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is helper

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            nonlocal count
            count += 1

        def visit_Yield(self, node: cst.Yield) -> None:
            nonlocal count
            count += 2  # never a plain helper

    helper.visit(Count())
    return count


def _bind(an: Analysis, call: cst.Call, params: cst.Parameters, at: CodePosition) -> Bound | None:
    """Each parameter's value for this call; None when a star, an unknown keyword or a
    missing argument leaves one unknown."""
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.star_kwarg is not None:
        return None
    positional = [*params.posonly_params, *params.params]
    everyone = [*positional, *params.kwonly_params]
    given: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None:
            if index >= len(positional):
                return None
            given[positional[index].name.value] = arg.value
        elif arg.keyword.value in {p.name.value for p in everyone}:
            given[arg.keyword.value] = arg.value
        else:
            return None
    bound = dict(_BOUND.get())
    for param in everyone:
        if param.name.value in given:
            bound[id(param)] = (given[param.name.value], at)
        elif param.default is not None:
            bound[id(param)] = (param.default, an.range(param.default).start)
        else:
            return None
    return bound


@contextlib.contextmanager
def _binding(bound: Bound) -> Iterator[None]:
    token = _BOUND.set(bound)
    try:
        yield
    finally:
        _BOUND.reset(token)


# The `map()` call whose function is being followed: tf.data traces the function there, so
# the names it reads from the enclosing scope have the values bound at that call.
_TRACED: ContextVar[cst.Call | None] = ContextVar("traced", default=None)
# Set while a function mapped over an unbatched dataset is followed: its argument is one
# element, written here with a batch axis in front, so an operation that counts axes from
# the front (reshape, a positive axis, a slice) would be read one axis off and is refused.
_ELEMENTWISE: ContextVar[bool] = ContextVar("elementwise", default=False)


@record(frozen=True)
class _Data:
    """What a tf.data pipeline yields: the shape of each part of its elements (features
    first; None where unknown), batch axis first, and whether it is batched yet."""

    parts: tuple[BatchShape | None, ...]
    batched: bool


def _dataset(an: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> _Data | None:
    """The pipeline `expr` is: `Dataset.from_tensor_slices`, a directory of images or texts,
    then `batch`, `map` and the steps that keep what it yields."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        candidates = _candidates(an, expr, at)
        if candidates is not None and _changed(an, expr, _first(candidates), at, items=False):
            return None  # changed in place since it was bound
        if candidates is not None and len(candidates) > 1:  # bound under `if`: every branch agrees
            made = [_value_of(an, node) for node, _ in candidates]
            return _agreed(
                [
                    _dataset(an, value, where, depth + 1) if isinstance(value, cst.BaseExpression) else None
                    for value, (_, where) in zip(made, candidates, strict=True)
                ]
            )
        value, where = _reaching_value(an, expr, at)
        if isinstance(value, cst.BaseExpression) and where is not None:
            return _dataset(an, value, where, depth + 1)
        return None
    path: list[int] = []
    while isinstance(expr, cst.Subscript) and len(expr.slice) == 1:  # a part of what a call returns
        index = expr.slice[0].slice
        if not (isinstance(index, cst.Index) and isinstance(index.value, cst.Integer)):
            return None
        path.insert(0, int(index.value.value))
        expr = expr.value
    if not isinstance(expr, cst.Call):
        return None
    names = an.qualified_names(expr.func)
    if names & {"tensorflow_datasets.load", "tensorflow_datasets.core.load"}:
        return _tfds(an, expr, path, depth)
    if path:
        return None
    if "tensorflow.data.Dataset.from_tensor_slices" in names:
        tensors = _arg(expr, 0, "tensors")
        if isinstance(tensors, cst.Tuple) and tensors.elements:  # (features, labels)
            parts = [e.value for e in tensors.elements if isinstance(e, cst.Element)]
            if len(parts) != len(tensors.elements):
                return None
            return _Data(tuple(shape_of(an, part, at, depth + 1) for part in parts), batched=False)
        return _Data((shape_of(an, tensors, at, depth + 1),), batched=False) if tensors is not None else None
    leaves = {name.rpartition(".")[2] for name in names if keras_family(name)}
    if leaves & {"image_dataset_from_directory", "text_dataset_from_directory"}:
        return _from_directory(an, expr, leaves, depth)
    if not isinstance(expr.func, cst.Attribute):
        return None
    method, receiver = expr.func.attr.value, expr.func.value
    if method not in _DATASET_KEEPS | {"batch", "padded_batch", "unbatch", "map"}:
        return None
    data = _dataset(an, receiver, at, depth + 1)
    if data is None:
        return None
    if method in ("batch", "padded_batch"):  # batches of batches: no model is meant for them
        return None if data.batched else _Data(data.parts, batched=True)
    if method == "unbatch":
        return _Data(data.parts, batched=False) if data.batched else None
    if method == "map":
        return _mapped(an, expr, data, depth)
    return data


def _tfds(an: Analysis, call: cst.Call, path: list[int], depth: int) -> _Data | None:
    """`tfds.load("mnist", split=["train", "test"], as_supervised=True, with_info=True)`: a
    dataset of (features, label) of a catalogue entry whose shapes are known, picked out of
    what `load` returns by `path` ((datasets, info) with_info; a tuple of datasets for a list
    of splits). Anything not written plainly refuses."""
    if any(a.star for a in call.args):
        return None
    kwargs = keyword_args(call)
    name = _string(_arg(call, 0, "name") or cst.Name("None"))
    entry = TFDS_SUPERVISED.get((name or "").partition(":")[0])
    if entry is None or not _is_true(kwargs.get("as_supervised")):
        return None
    if kwargs.get("with_info") is not None:
        if not _is_true(kwargs.get("with_info")) or not path or path[0] != 0:
            return None
        path = path[1:]
    split = _arg(call, 1, "split")
    if isinstance(split, cst.List | cst.Tuple):
        if len(path) != 1 or not 0 <= path[0] < len(split.elements):
            return None
    elif split is None or _string(split) is None or path:
        return None
    batch = kwargs.get("batch_size")
    size = None if batch is None or _is_none(batch.value) else _int(an, batch.value, depth)
    if batch is not None and not _is_none(batch.value) and size is None:
        return None
    return _Data(((None, *entry[0]), None), batched=size is not None)


def _is_true(arg: cst.Arg | None) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def _from_directory(an: Analysis, call: cst.Call, leaves: set[str], depth: int) -> _Data | None:
    """`image_dataset_from_directory(..., image_size=(180, 180))`: batches of images (of
    image_size, color_mode channels); `text_dataset_from_directory`: batches of strings.
    With labels unless `label_mode=None`; batched unless `batch_size=None`."""
    images = "image_dataset_from_directory" in leaves
    if any(a.star for a in call.args):
        return None
    # directory, labels, label_mode, class_names, then (images) color_mode, batch_size,
    # image_size, ..., subset at 10; (texts) batch_size, max_length, ..., subset at 9
    subset = _arg(call, 10 if images else 9, "subset")
    if subset is not None and not _is_none(subset) and _string(subset) not in ("training", "validation"):
        return None  # "both": two datasets
    features = _images(an, call, ("image_size", 6), ("color_mode", 4), depth) if images else (None,)
    if images and features is not None:
        channels_first = _channels_first(an, _arg(call, 15, "data_format"))
        if channels_first is None:
            return None
        features = (None, features[3], *features[1:3]) if channels_first else features
    label_mode = _arg(call, 2, "label_mode")
    unlabelled = label_mode is not None and _is_none(label_mode)
    if label_mode is not None and not unlabelled and not isinstance(label_mode, cst.SimpleString):
        return None  # labelled or not: not in the text
    batch = _arg(call, 5 if images else 4, "batch_size")
    if batch is not None and not _is_none(batch) and _int(an, batch, depth) is None:
        return None
    parts = (features,) if unlabelled else (features, None)
    return _Data(parts, batched=batch is None or not _is_none(batch))


def _channels_first(an: Analysis, given: cst.BaseExpression | None) -> bool | None:
    """Whether images come channels first: `data_format` as given, else Keras's setting,
    "channels_last" unless the file changes it (None: not known)."""
    if given is None or _is_none(given):
        changes = any(
            name.rpartition(".")[2] == "set_image_data_format"
            for call in an.index().calls
            for name in an.qualified_names(call.func)
        )
        return None if changes else False
    return {"channels_first": True, "channels_last": False}.get(_string(given) or "")


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _mapped(an: Analysis, call: cst.Call, data: _Data, depth: int) -> _Data | None:
    """`ds.map(fn)`: what `fn` returns, given what the dataset yields. `fn` is a lambda or a
    plain function of this file (see `_returned_shape`); a tuple element is spread over its
    parameters, as tf.data does."""
    func = _arg(call, 0, "map_func")
    if isinstance(func, cst.Lambda):
        params, returned = func.params, func.body
        where = an.range(func.body).start
    elif isinstance(func, cst.Name) and (helper := _helper(an, func)) is not None:
        last = _last_return(helper)
        if last is None:
            return None
        params, returned, where = helper.params, last, an.range(last).start
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
    bound = dict(_BOUND.get())
    for param, part in zip(positional, data.parts, strict=False):
        if part is not None:
            bound[id(param)] = (part, where)
    for param in [*positional[len(data.parts) :], *params.kwonly_params]:
        if param.default is not None:
            bound[id(param)] = (param.default, an.range(param.default).start)
    elementwise = _ELEMENTWISE.set(_ELEMENTWISE.get() or not data.batched)
    traced = _TRACED.set(call)
    try:
        with _binding(bound):
            if isinstance(returned, cst.Tuple):
                if any(not isinstance(e, cst.Element) for e in returned.elements):
                    return None
                parts = tuple(shape_of(an, e.value, where, depth + 1) for e in returned.elements)
            else:
                parts = (shape_of(an, returned, where, depth + 1),)
    finally:
        _TRACED.reset(traced)
        _ELEMENTWISE.reset(elementwise)
    return _Data(parts, data.batched)


def _resized(
    an: Analysis,
    images: cst.BaseExpression | None,
    size: cst.BaseExpression | None,
    at: CodePosition,
    depth: int,
) -> BatchShape | None:
    """`tf.image.resize(image, (h, w))`: images of rank 3 or 4 keep their batch and channels."""
    if images is None or size is None:
        return None
    shape = shape_of(an, images, at, depth + 1)
    dims = _tuple_dims(an, size, depth)
    if shape is None or dims is None or len(dims) != 2 or None in dims or len(shape) < 3:
        return None
    return (*shape[:-3], *dims, shape[-1])


def _layer_call(an: Analysis, call: cst.Call, at: CodePosition, depth: int) -> BatchShape | None:
    """A Keras layer of this file applied to data (`vectorize_layer(text)`, `rescale(x)`,
    `data_augmentation(x, training=True)`): the shape it gives, for the layers that say so."""
    if not isinstance(call.func, cst.Name) or not call.args or call.args[0].keyword or call.args[0].star:
        return None
    made, _ = _reaching_value(an, call.func, at)
    if not isinstance(made, cst.Call):
        return None
    leaf = _keras_leaf(an, made)
    if leaf is None:
        return None
    shape = shape_of(an, call.args[0].value, at, depth + 1)
    if shape is None:
        return None
    if leaf == "Sequential":  # a block of preprocessing layers (resize and rescale, augmentation)
        layers = _arg(made, 0, "layers")
        if not isinstance(layers, cst.List) or not layers.elements:
            return None
        for element in layers.elements:
            if not isinstance(element, cst.Element) or not isinstance(element.value, cst.Call):
                return None
            inner = _keras_leaf(an, element.value)
            following = (
                _preprocessed(an, element.value, inner, shape, depth) if inner != "Sequential" else None
            )
            if following is None:
                return None
            shape = following
        return shape
    return _preprocessed(an, made, leaf, shape, depth)


def _preprocessed(
    an: Analysis, made: cst.Call, leaf: str | None, shape: BatchShape, depth: int
) -> BatchShape | None:
    """What the preprocessing layer `made` (a `leaf` of Keras) gives for data of `shape`."""
    if leaf in _SHAPE_KEEPING_LAYERS:
        return shape
    if leaf == "Resizing":
        height, width = _arg(made, 0, "height"), _arg(made, 1, "width")
        if height is None or width is None:
            return None
        dims = (_int(an, height, depth), _int(an, width, depth))
        return None if None in dims or len(shape) < 3 else (*shape[:-3], *dims, shape[-1])
    if leaf == "TextVectorization":
        return _vectorized(an, made, shape, depth)
    return None


def _keras_leaf(an: Analysis, call: cst.Call) -> str | None:
    """`Rescaling` for `layers.Rescaling(1 / 255)`: the Keras class a call makes, if it is one."""
    leaves = {name.rpartition(".")[2] for name in an.qualified_names(call.func) if keras_family(name)}
    return leaves.pop() if len(leaves) == 1 else None


def _vectorized(an: Analysis, layer: cst.Call, given: BatchShape, depth: int) -> BatchShape | None:
    """What `TextVectorization(...)` gives for a batch of strings (shape (n,) or (n, 1)):
    token ids, `output_sequence_length` long (any length when not given), or with
    `pad_to_max_tokens=True` one column per token. Anything not written plainly refuses."""
    if any(a.star for a in layer.args) or not (len(given) == 1 or (len(given) == 2 and given[1] == 1)):
        return None
    kwargs = keyword_args(layer)
    mode = _string(kwargs["output_mode"].value) if "output_mode" in kwargs else "int"
    if "ragged" in kwargs or any(a.keyword is None for a in layer.args[1:]):
        return None
    if mode == "int":
        length = kwargs.get("output_sequence_length")
        if length is None:
            return (given[0], None)
        value = _int(an, length.value, depth)
        return None if value is None else (given[0], value)
    padded = kwargs.get("pad_to_max_tokens")
    tokens = _arg(layer, 0, "max_tokens")
    if (
        mode in ("multi_hot", "count", "tf_idf")
        and padded is not None
        and tokens is not None
        and isinstance(padded.value, cst.Name)
        and padded.value.value == "True"
    ):
        count = _int(an, tokens, depth)
        return None if count is None else (given[0], count)
    return None


_JOINS = frozenset({"concatenate", "hstack", "vstack", "stack", "column_stack"})


def _joined(an: Analysis, call: cst.Call, how: str, at: CodePosition, depth: int) -> BatchShape | None:
    """`np.concatenate([a, b], axis=1)`, `np.hstack((a, b))`, `np.stack([a, b])`...: the shape
    of arrays joined, when every part's shape is known and they fit together."""
    parts = _arg(call, 0, "arrays", "tup")
    if not isinstance(parts, cst.List | cst.Tuple) or not parts.elements or _ELEMENTWISE.get():
        return None
    if any(not isinstance(e, cst.Element) for e in parts.elements):  # a *spread: its length is unknown
        return None
    shapes = [shape_of(an, e.value, at, depth + 1) for e in parts.elements]
    if any(shape is None for shape in shapes):
        return None
    known = [shape for shape in shapes if shape is not None]
    if how == "column_stack":  # vectors become columns
        known = [shape if len(shape) > 1 else (*shape, 1) for shape in known]
    rank = len(known[0])
    if any(len(shape) != rank for shape in known) or rank == 0:
        return None
    if how == "stack":  # a new axis of len(parts) at `axis`
        given = _arg(call, 1, "axis")
        axis_value = 0 if given is None else _int(an, given, depth)
        if axis_value is None or any(shape != known[0] for shape in known):
            return None
        at_axis = axis_value + rank + 1 if axis_value < 0 else axis_value
        if not 0 <= at_axis <= rank:
            return None
        return (*known[0][:at_axis], len(known), *known[0][at_axis:])
    if how == "column_stack":
        axis = 1
    elif how == "hstack":
        axis = 0 if rank == 1 else 1
    elif how == "vstack":
        if rank == 1:
            return (len(known), known[0][0]) if all(shape == known[0] for shape in known) else None
        axis = 0
    else:
        given = _arg(call, 1, "axis")  # axis=None flattens: not a number, refused
        axis_value = 0 if given is None else _int(an, given, depth)
        if axis_value is None:
            return None
        axis = axis_value + rank if axis_value < 0 else axis_value
    if not 0 <= axis < rank:
        return None
    if any(shape[:axis] + shape[axis + 1 :] != known[0][:axis] + known[0][axis + 1 :] for shape in known):
        return None  # they do not fit together: Python would raise
    sizes = [shape[axis] for shape in known]
    total = None if None in sizes else sum(size for size in sizes if size is not None)
    return (*known[0][:axis], total, *known[0][axis + 1 :])


def _images(
    an: Analysis, call: cst.Call, size: tuple[str, int], color: tuple[str, int], depth: int
) -> BatchShape | None:
    """Batches of images, channels last: `image_size=(h, w)` / `target_size=(h, w)` (Keras's
    default is (256, 256)) and `color_mode` ("rgb" by default), each by keyword or at its
    position. Anything not written plainly refuses."""
    if any(a.star for a in call.args):
        return None
    given = _arg(call, size[1], size[0])
    dims = (256, 256) if given is None else _dims(an, given, depth)
    mode_arg = _arg(call, color[1], color[0])
    mode = "rgb" if mode_arg is None else _string(mode_arg)
    if dims is None or len(dims) != 2 or None in dims or mode not in IMAGE_CHANNELS:
        return None
    return (None, *dims, IMAGE_CHANNELS[mode])


def _string(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _sklearn_features(an: Analysis, call: cst.Call, depth: int) -> BatchShape | None:
    """The X of `X, y = make_moons(...)` / `load_iris(return_X_y=True)`, or of `.data`."""
    for name in an.qualified_names(call.func):
        if not name.startswith("sklearn.datasets"):
            continue
        leaf = name.rpartition(".")[2]
        if leaf in SKLEARN_LOADED:
            return SKLEARN_LOADED[leaf]
        if leaf in SKLEARN_MADE:
            features_at, default = SKLEARN_MADE[leaf]
            samples = _arg(call, 0, "n_samples")
            n = 100 if samples is None else _int(an, samples, depth)
            features = _arg(call, features_at, "n_features") if features_at is not None else None
            f = default if features is None else _int(an, features, depth)
            return None if n is None or f is None else (n, f)
    return None


def _sampler(an: Analysis, call: cst.Call, names: set[str]) -> str | None:
    """`np.random.normal(0, 1, (n, d))` or `rng.normal(size=(n, d))`: which numpy sampler."""
    module = {name.removeprefix("numpy.random.") for name in names if name.startswith("numpy.random.")}
    found = module & (_SIZE_AT.keys() | _SAMPLER_VARARGS)
    if found:
        return found.pop()
    if (
        not isinstance(call.func, cst.Attribute)
        or call.func.attr.value not in _SIZE_AT.keys() | _SAMPLER_VARARGS
    ):
        return None
    made: Value | None = call.func.value
    if isinstance(made, cst.Name):
        made = _only_value(an, made)
    if isinstance(made, cst.Call) and an.qualified_names(made.func) & _GENERATORS:
        return call.func.attr.value
    return None


def _method_shape(
    an: Analysis, call: cst.Call, func: cst.Attribute, at: CodePosition, depth: int
) -> BatchShape | None:
    name = func.attr.value
    if name == "reshape":
        args = [a.value for a in call.args if a.keyword is None and not a.star]
        if len(args) == 1 and isinstance(args[0], cst.Tuple | cst.List):
            args = [e.value for e in args[0].elements]
        elif len(args) == 1:
            return _reshape(_dims(an, args[0], depth))
        return _reshaped(an, func.value, args, at, depth) if args else None
    if name in _SAME_SHAPE_METHODS:
        return shape_of(an, func.value, at, depth + 1)
    if name == "flow_from_directory" and _made_by(an, func.value, "ImageDataGenerator"):
        generator = _only_value(an, func.value) if isinstance(func.value, cst.Name) else func.value
        made = generator if isinstance(generator, cst.Call) else None
        # ImageDataGenerator(featurewise_center, ..., data_format at 19, ...)
        if (
            made is None
            or any(a.star for a in made.args)
            or _channels_first(an, _arg(made, 19, "data_format")) is not False
        ):
            return None
        # flow_from_directory(directory, target_size, color_mode, classes, ...)
        return _images(an, call, ("target_size", 1), ("color_mode", 2), depth)
    if name == "flow" and _made_by(an, func.value, "ImageDataGenerator"):  # batches of x, augmented
        x = _arg(call, 0, "x")
        return shape_of(an, x, at, depth + 1) if x is not None else None
    return None


def _made_by(an: Analysis, receiver: cst.BaseExpression, leaf: str) -> bool:
    """`ImageDataGenerator(...)` itself, or a name bound once to one (a Keras class)."""
    value = _only_value(an, receiver) if isinstance(receiver, cst.Name) else receiver
    return isinstance(value, cst.Call) and any(
        name.rpartition(".")[2] == leaf and keras_family(name) for name in an.qualified_names(value.func)
    )


def _subscript_shape(an: Analysis, node: cst.Subscript, at: CodePosition, depth: int) -> BatchShape | None:
    """Basic indexing, as numpy reads it: `x[:1000]` and `x[:, 0:8]` slice (a slice of the
    batch axis keeps it open), `x[..., None]` and `x[:, None]` add an axis, `x[:, 0]`
    drops one. An index of the batch axis, a step or bound not written as a number, or an
    index array refuses."""
    shape = shape_of(an, node.value, at, depth + 1)
    parts = [s.slice for s in node.slice]
    new_axes = [_is_new_axis(an, p) for p in parts]
    ellipses = [isinstance(p, cst.Index) and isinstance(p.value, cst.Ellipsis) for p in parts]
    if shape is None or sum(ellipses) > 1 or (_ELEMENTWISE.get() and not ellipses[0]):
        return None  # an element's axes are counted from the end only (`x[..., None]`)
    taken = len(parts) - sum(new_axes) - sum(ellipses)  # the axes the parts index
    if taken > len(shape):
        return None
    result: list[int | None] = []
    axis = 0
    for part, new_axis, ellipsis in zip(parts, new_axes, ellipses, strict=True):
        if new_axis:
            if axis == 0 and not result:
                return None  # a new first axis: the batch would move
            result.append(1)
        elif ellipsis:
            result += shape[axis : axis + len(shape) - taken]
            axis += len(shape) - taken
        elif isinstance(part, cst.Slice) and axis == 0:  # any rows: the batch stays open
            result.append(None)
            axis += 1
        elif isinstance(part, cst.Slice):
            size = _sliced(an, part, shape[axis], depth)
            if size is _UNKNOWN:
                return None
            result.append(size)  # type: ignore[arg-type]
            axis += 1
        elif axis > 0 and isinstance(part, cst.Index) and _int(an, part.value, depth) is not None:
            axis += 1  # an integer index drops its axis
        else:
            return None
    return (*result, *shape[axis:])


_UNKNOWN = object()


def _sliced(an: Analysis, part: cst.Slice, dim: int | None, depth: int) -> int | object | None:
    """The length of `dim` sliced by `part` (None when `dim` is unknown); _UNKNOWN when a
    bound or step is not a number."""
    bounds = []
    for given in (part.lower, part.upper, part.step):
        value = None if given is None else _int(an, given, depth)
        if given is not None and value is None:
            return _UNKNOWN
        bounds.append(value)
    if bounds == [None, None, None]:
        return dim
    if bounds[2] == 0:
        return _UNKNOWN
    return None if dim is None else len(range(*slice(*bounds).indices(dim)))


def _is_new_axis(an: Analysis, part: cst.BaseSlice) -> bool:
    if not isinstance(part, cst.Index):
        return False
    value = part.value
    return (isinstance(value, cst.Name) and value.value == "None") or bool(
        an.qualified_names(value) & {"numpy.newaxis", "tensorflow.newaxis"}
    )


def shape_of(an: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int = 0) -> BatchShape | None:
    """The full shape (batch first) of the array `expr` denotes at `at`, or None."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        candidates = _candidates(an, expr, at)
        if candidates is not None and _changed(an, expr, _first(candidates), at, items=False):
            return None  # changed in place since it was bound
        if candidates is not None and len(candidates) > 1:  # bound under `if`: every branch agrees
            return _agreed([_assigned_shape(an, node, where, depth) for node, where in candidates])
        value, where = _reaching_value(an, expr, at)
        if isinstance(value, tuple):  # known without an expression: a keras.datasets array
            return value
        found = shape_of(an, value, where, depth + 1) if value is not None and where is not None else None
        return found if found is not None or not an.observed else _observed(an, expr, at)
    if isinstance(expr, cst.Call):
        return _call_shape(an, expr, at, depth)
    if isinstance(expr, cst.BinaryOperation):
        if any(_python_sequence(an, side, at) for side in (expr.left, expr.right)):
            return _repeated(an, expr, at, depth)  # lists repeat and join: not arithmetic
        left, right = (_scalar_or_shape(an, side, at, depth) for side in (expr.left, expr.right))
        if left == () or right == ():  # one side a number: the other's shape
            return right if left == () else left
        return left if left is not None and left == right else None
    if isinstance(expr, cst.UnaryOperation):
        return shape_of(an, expr.expression, at, depth + 1)
    bunch = _bunch_data(expr)
    if bunch is not None:  # load_iris().data, iris.data, iris["data"]
        made = _only_value(an, bunch) if isinstance(bunch, cst.Name) else bunch
        return _sklearn_features(an, made, depth) if isinstance(made, cst.Call) else None
    if isinstance(expr, cst.Subscript):
        columns = _columns(an, expr, depth)
        if columns is not None:
            return columns
        data = _dataset(an, expr, at, depth) if isinstance(expr.value, cst.Call | cst.Subscript) else None
        if data is not None:
            return data.parts[0] if data.batched else None
        return _subscript_shape(an, expr, at, depth)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "values":  # a DataFrame's array
        return shape_of(an, expr.value, at, depth + 1)
    if isinstance(expr, cst.List | cst.Tuple):
        return _nested(expr)
    return None


def _columns(an: Analysis, expr: cst.Subscript, depth: int) -> BatchShape | None:
    """`df[["age", "chol", "oldpeak"]]`: a table of the columns a written list of names picks
    (a list is no key of a dict, nor an index of an array: run, it is a DataFrame's columns)."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    names: Value | None = expr.slice[0].slice.value
    if isinstance(names, cst.Name) and depth < MAX_DEPTH:
        names = _only_value(an, names)
    if not isinstance(names, cst.List) or not names.elements:
        return None
    if not all(isinstance(e, cst.Element) and _string(e.value) is not None for e in names.elements):
        return None
    return (None, len(names.elements))


def _bunch_data(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """`bunch` of `bunch.data` or `bunch["data"]` (scikit-learn's datasets are both)."""
    if isinstance(expr, cst.Attribute) and expr.attr.value == "data":
        return expr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and _string(index.value) == "data":
            return expr.value
    return None


def _python_sequence(an: Analysis, expr: cst.BaseExpression, at: CodePosition) -> bool:
    """Whether `expr` is a Python list or tuple (written, made by a comprehension, or a name
    bound to one), not an array: `*` repeats it and `+` joins it."""
    if isinstance(expr, cst.Name):
        candidates = _candidates(an, expr, at) or []
        return any(
            _python_sequence(an, v, w)
            for n, w in candidates
            if isinstance(v := _value_of(an, n), cst.BaseExpression)
        )
    return isinstance(expr, cst.List | cst.Tuple | cst.ListComp)


def _repeated(an: Analysis, expr: cst.BinaryOperation, at: CodePosition, depth: int) -> BatchShape | None:
    """The nested shape of `[[1.0, 2.0]] * 4` (four rows) or `rows + rows` (rows joined)."""
    if isinstance(expr.operator, cst.Multiply):
        for sequence, count in ((expr.left, expr.right), (expr.right, expr.left)):
            times = _int(an, count, depth)
            if times is not None and _python_sequence(an, sequence, at):
                shape = _nested_value(an, sequence, at, depth)
                return None if not shape or shape[0] is None else (max(times, 0) * shape[0], *shape[1:])
        return None
    if isinstance(expr.operator, cst.Add):
        left, right = (_nested_value(an, side, at, depth) for side in (expr.left, expr.right))
        if left and right and left[1:] == right[1:] and None not in (left[0], right[0]):
            return (left[0] + right[0], *left[1:])  # type: ignore[operator]
    return None


def _nested_value(an: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int) -> BatchShape | None:
    """The nested shape of a Python list: written, repeated, joined or by name."""
    if isinstance(expr, cst.BinaryOperation):
        return _repeated(an, expr, at, depth + 1) if depth < MAX_DEPTH else None
    if isinstance(expr, cst.Name):
        value, where = _reaching_value(an, expr, at)
        if not isinstance(value, cst.BaseExpression) or where is None or depth >= MAX_DEPTH:
            return None
        if _changed(an, expr, where, at, items=True):
            return None
        return _nested_value(an, value, where, depth + 1)
    return _nested(expr)


def _scalar_or_shape(
    an: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int
) -> BatchShape | None:
    if isinstance(expr, cst.Name):  # a number by name: `scale = 255.0`, a parameter's default
        value, _ = _reaching_value(an, expr, at)
        expr = value if isinstance(value, cst.Integer | cst.Float) else expr
    if isinstance(expr, cst.Integer | cst.Float):
        return ()
    return shape_of(an, expr, at, depth + 1)


# -- following a name to the value that reaches a use ---------------------------------------


def _blocks(an: Analysis, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The suites (module, function and loop bodies...) that contain `node`, innermost first."""
    found: list[cst.CSTNode] = []
    current = an.parent(node)
    while current is not None:
        if isinstance(current, cst.Module | cst.IndentedBlock):
            found.append(current)
        current = an.parent(current)
    return found


def _assignments(an: Analysis, name: cst.Name) -> list[Assignment]:
    scope = an.scope(name)
    if scope is None:
        return []
    return [a for a in scope[name.value] if isinstance(a, Assignment) and isinstance(a.node, cst.CSTNode)]


Value = cst.BaseExpression | BatchShape  # an expression, or a shape known without one


def _reaching_value(
    an: Analysis, name: cst.Name, at: CodePosition
) -> tuple[Value | None, CodePosition | None]:
    """The value assigned to `name` by the assignment that reaches `at`, when that is certain."""
    node, start = _reaching(an, name, at)
    if node is None or start is None:
        return None, None
    if isinstance(node, cst.Param):  # bound by the call being followed, if one is
        return _BOUND.get().get(id(node), (None, None))
    return _value_of(an, node), start


def _reaching(
    an: Analysis, name: cst.Name, at: CodePosition
) -> tuple[cst.CSTNode | None, CodePosition | None]:
    """The assignment (its target) that binds `name` last before `at`, when that is certain."""
    found = _candidates(an, name, at)
    return found[0] if found is not None and len(found) == 1 else (None, None)


def _candidates(
    an: Analysis, name: cst.Name, at: CodePosition
) -> list[tuple[cst.CSTNode, CodePosition]] | None:
    """Every assignment that may be the last to bind `name` before `at`: the last one that
    surely runs on the way, and those after it under `if` (`if shuffle: ds = ds.shuffle(...)`).
    None when one under a loop, `try` or `with`, or in an enclosing scope, may reach it."""
    use_blocks = {id(b) for b in _blocks(an, name)}
    assignments = _assignments(an, name)
    if len(assignments) > 1 and any(a.scope is not an.scope(name) for a in assignments):
        traced = _TRACED.get()
        if traced is None or any(a.scope is not an.scope(traced) for a in assignments):
            return None  # read from an enclosing scope: which assignment ran last is not in the text
        # tf.data traces a mapped function when map() is called: it reads the names then
        use_blocks, at = {id(b) for b in _blocks(an, traced)}, an.range(traced).start
    sure: list[tuple[CodePosition, cst.CSTNode]] = []
    maybe: list[tuple[CodePosition, cst.CSTNode]] = []
    for assignment in assignments:
        node = assignment.node
        start = an.range(node).start
        if not before(start, at):
            continue
        if all(id(b) in use_blocks for b in _blocks(an, node)[:1]):
            sure.append((start, node))
        elif _only_under_if(an, node, use_blocks):
            maybe.append((start, node))
        else:
            return None  # assigned in a loop, try or with the use is not in: not certain
    if not sure:
        return None  # an `if` that did not run leaves nothing bound here
    last = max(sure, key=lambda pair: (pair[0].line, pair[0].column))
    later = [(node, start) for start, node in maybe if before(last[0], start)]
    return [(last[1], last[0]), *later]


def _only_under_if(an: Analysis, node: cst.CSTNode, use_blocks: set[int]) -> bool:
    """Whether the blocks between `node` and the use's own are all branches of `if`s."""
    for block in _blocks(an, node):
        if id(block) in use_blocks:
            return True
        branch = an.parent(block)
        if not isinstance(branch, cst.If | cst.Else):
            return False
        if isinstance(branch, cst.Else) and not isinstance(an.parent(branch), cst.If):
            return False  # the else of a loop or a try
    return False


def _agreed(values: list[T]) -> T | None:
    """The one value every candidate gives, or None when one is unknown or they differ."""
    if not values or values[0] is None or any(v != values[0] for v in values[1:]):
        return None
    return values[0]


# -- what a notebook's saved outputs show -------------------------------------------------------

# The observations a shape was taken from, while `observed_shape_of` follows one.
_USED: ContextVar[list[Observation] | None] = ContextVar("used", default=None)


def observed_shape_of(
    an: Analysis, expr: cst.BaseExpression, at: CodePosition
) -> tuple[BatchShape | None, list[Observation]]:
    """`shape_of`, and the saved outputs of a notebook it took the shape from, if any."""
    used: list[Observation] = []
    token = _USED.set(used)
    try:
        return shape_of(an, expr, at), used
    finally:
        _USED.reset(token)


def _observed(an: Analysis, name: cst.Name, at: CodePosition) -> BatchShape | None:
    """The shape a saved output shows for `name` as bound where it is read: the output
    printed it while the same assignment held, and nothing between reshaped it in place
    (no method called on it, no item or attribute assigned)."""
    bound, _ = _reaching(an, name, at)
    if bound is None:
        return None
    for seen in an.observed:
        if not isinstance(seen, Observation) or not _held(an, seen, name, bound, at):
            continue
        used = _USED.get()
        if used is not None:
            used.append(seen)
        return seen.shape
    return None


def _held(an: Analysis, seen: Observed, name: cst.Name, bound: cst.CSTNode, at: CodePosition) -> bool:
    """Whether what a saved output showed of `name` still holds at `at`: shown while the
    assignment `bound` held (the one that reaches `at`), and nothing between changed it in
    place (no method called on it, no item or attribute assigned)."""
    node = _names_by_position(an).get((seen.line, seen.column)) if seen.name == name.value else None
    if node is None or node.value != name.value or an.scope(node) is not an.scope(name):
        return False
    seen_at = an.range(node).start
    if _reaching(an, node, seen_at)[0] is not bound or not before(seen_at, at):
        return False
    touched = _touches(an).get(name.value, ())
    if any(before(seen_at, t) and before(t, at) for t in touched):
        return False
    return not _changed(an, name, seen_at, at, items=True)


def summarized_input(
    an: Analysis, target: cst.Name, first: cst.BaseExpression, at: CodePosition
) -> tuple[BatchShape, SummaryRow] | None:
    """The input a `target.summary()` table a notebook saved shows, for a model whose first
    layer is `Dense(units)` (`first`): the first row's parameters are inputs x units (+ units
    of bias), its output shape gives the other axes. Used only when the row agrees with the
    code (the class, the units) and the model the summary printed is this one (`target`
    bound where it is made, at `at`)."""
    if not isinstance(first, cst.Call) or _keras_leaf(an, first) != "Dense":
        return None
    if "lora_rank" in keyword_args(first) or any(
        isinstance(call.func, cst.Attribute) and call.func.attr.value in ("enable_lora", "quantize")
        for call in an.index().calls
    ):  # LoRA and quantization add parameters of their own to the row
        return None
    units_arg = _arg(first, 0, "units")
    units = _int(an, units_arg, 0) if units_arg is not None else None
    bias = keyword_args(first).get("use_bias")
    plain = bias is not None and isinstance(bias.value, cst.Name) and bias.value.value == "False"
    if units is None or units <= 0 or (bias is not None and not plain and not _is_true(bias)):
        return None
    for seen in an.observed:
        if not isinstance(seen, SummaryRow) or seen.layer != "Dense" or seen.output[-1:] != (units,):
            continue
        node = _names_by_position(an).get((seen.line, seen.column))
        if node is None or node.value != target.value or seen.name != target.value:
            continue
        printed_at = an.range(node).start
        if _reaching(an, node, printed_at)[0] is not target or not before(at, printed_at):
            continue  # another model by that name, or printed before this one was made
        inputs, extra = divmod(seen.params - (0 if plain else units), units)
        if extra or inputs <= 0:
            continue
        return (*seen.output[:-1], inputs), seen
    return None


def _names_by_position(an: Analysis) -> dict[tuple[int, int], cst.Name]:
    return an.once(_index_names)


def _index_names(an: Analysis) -> dict[tuple[int, int], cst.Name]:
    found: dict[tuple[int, int], cst.Name] = {}
    lines = {seen.line for seen in an.observed}

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            start = an.range(node).start
            if start.line in lines:
                found[(start.line, start.column)] = node

    an.module.visit(Names())
    return found


def _touches(an: Analysis) -> dict[str, list[CodePosition]]:
    return an.once(_index_touches)


def _index_touches(an: Analysis) -> dict[str, list[CodePosition]]:
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
            found.setdefault(name.value, []).append(an.range(expr).start)

    class Touches(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute):
                add(node.func)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            add(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            add(node.target)

        def visit_Del(self, node: cst.Del) -> None:
            add(node.target)

    an.module.visit(Touches())
    return found


# Methods that change their object in place so that a shape may change: a list's (the
# dimensions of a shape), an array's `resize`, a table's `pop`; any call with `inplace=True`.
_IN_PLACE = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort", "resize", "update"}
    | {"setdefault", "popitem", "__setitem__", "__delitem__", "__iadd__", "__imul__"}
)
# IPython magics that may bind any name of the notebook's namespace
_NAMESPACE_MAGICS = frozenset(
    {"run", "store", "reset", "reset_selective", "load", "recall", "rerun", "macro"}
)
# calls that return the array they are given (when its dtype fits): an alias of it
_SAME_OBJECT = frozenset({"numpy.asarray", "numpy.asanyarray", "numpy.asarray_chkfinite"})


@record(frozen=True)
class _Change:
    """A place where a name's object may change without the name being bound: `item` for an
    item written or deleted (`x[0] = ...`, which keeps an array's shape but not a list's)."""

    scope: object  # the scope it is made in (None: unknown, any time)
    at: CodePosition
    item: bool


def _changed(
    an: Analysis, name: cst.Name, since: CodePosition | None, at: CodePosition | None, items: bool
) -> bool:
    """Whether what `name` holds may have changed in place after `since` and before `at` (any
    time when either is None): through a method that changes it, an attribute or (`items`) an
    item written, an alias of it, `exec`, `globals()`, `setattr`. A change in another scope (a
    function that may run at any time) always counts."""
    changes = an.once(_index_changes)
    scope = an.scope(name)
    for change in (*changes.get(name.value, ()), *changes.get("*", ())):
        if change.item and not items:
            continue
        if since is None or at is None or change.scope is not scope:
            return True
        if before(since, change.at) and before(change.at, at):
            return True
    return False


def _index_changes(an: Analysis) -> dict[str, list[_Change]]:
    """Every `_Change` in the module by the name it changes ("*": any name), aliases
    (`y = x`, then `y.shape = ...`) counted for the name they alias too."""
    found: dict[str, list[_Change]] = {}
    aliases: dict[str, set[str]] = {}  # alias -> the names it may hold
    functions: list[cst.FunctionDef] = []  # the functions being visited, innermost last
    changing: set[str] = set()  # functions that change what a parameter holds
    calls: list[cst.Call] = []  # calls of a function by its name

    def root(expr: cst.BaseExpression) -> cst.Name | None:
        while isinstance(expr, cst.Attribute | cst.Subscript):
            expr = expr.value
        return expr if isinstance(expr, cst.Name) else None

    def add(name: str, node: cst.Name, item: bool) -> None:
        found.setdefault(name, []).append(_Change(an.scope(node), an.range(node).start, item))
        if functions and any(p.name.value == name for p in _parameters(functions[-1].params)):
            changing.add(functions[-1].name.value)  # what a caller passes it is changed

    def written(target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                written(element.value)
            return
        base = root(target) if isinstance(target, cst.Attribute | cst.Subscript) else None
        if base is None:
            reflective = _reflective_key(an, target)
            if reflective is not None:
                add(reflective[0], reflective[1], False)
            return
        add(base.value, base, isinstance(target, cst.Subscript))

    class Changes(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            functions.append(node)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            functions.pop()

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Name):
                calls.append(node)
            if isinstance(func, cst.Attribute):
                base = root(func.value)
                inplace = keyword_args(node).get("inplace")
                if base is not None and (
                    func.attr.value in _IN_PLACE or (inplace and not _is_false(inplace.value))
                ):
                    add(base.value, base, False)
                elif base is None and func.attr.value == "update" and _reflective_call(an, func.value):
                    found.setdefault("*", []).append(_Change(None, an.range(node).start, False))
            elif isinstance(func, cst.Name) and func.value in REFLECTIVE and _builtin(an, func):
                if func.value in ("setattr", "delattr") and node.args:
                    base = root(node.args[0].value)
                    if base is not None and not an.qualified_names(base) - {base.value}:
                        add(base.value, base, False)  # an object of this file, not a module
                    elif base is None:
                        add("*", func, False)
                elif func.value in ("exec", "eval") and node.args:
                    code = node.args[0].value
                    text = code.evaluated_value if isinstance(code, cst.SimpleString) else None
                    for word in _words(text) if isinstance(text, str) else ("*",):
                        add(word, func, False)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            written(node.target)

        def visit_Assign(self, node: cst.Assign) -> None:
            value = node.value
            if isinstance(value, cst.Call) and an.qualified_names(value.func) & _SAME_OBJECT and value.args:
                value = value.args[0].value  # np.asarray(x) is x itself
            if isinstance(value, cst.Name):
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        aliases.setdefault(target.target.value, set()).add(value.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            written(node.target)
            if isinstance(node.target, cst.Name):  # a list's += extends it in place
                add(node.target.value, node.target, False)

        def visit_Del(self, node: cst.Del) -> None:
            written(node.target)

    an.module.visit(Changes())
    for call in calls:  # `grow(shape)`, where `def grow(dims): dims.append(3)`
        if call.func.value in changing:  # type: ignore[attr-defined]
            for argument in call.args:
                if isinstance(argument.value, cst.Name):
                    add(argument.value.value, argument.value, False)
    module_scope = an.scope(an.module)
    for line, command in an.notebook.commands:  # `X = %time X[:, :6]`, `%run setup.py`
        for word in _ipython_changes(command):
            found.setdefault(word, []).append(_Change(module_scope, CodePosition(line, 0), False))
    for _ in range(len(aliases)):  # an alias of an alias
        grown = False
        for alias, names in aliases.items():
            for held in list(names):
                more = aliases.get(held, set()) - names - {alias}
                names |= more
                grown = grown or bool(more)
        if not grown:
            break
    own = {name: tuple(changes) for name, changes in found.items()}  # before aliases add theirs
    for alias, names in aliases.items():
        for held in names - {alias}:
            found.setdefault(held, []).extend(own.get(alias, ()))
    return found


def _first(candidates: list[tuple[cst.CSTNode, CodePosition]]) -> CodePosition:
    return min((where for _, where in candidates), key=lambda p: (p.line, p.column))


# line magics whose argument is a Python statement, run in the notebook's namespace
_STATEMENT_MAGICS = frozenset({"time", "timeit", "prun", "capture"})
_ASSIGNED = re.compile(r"^(?P<targets>[^=%!]+?)\s*=\s*[%!]")  # x = %magic ... / x = !cmd


def _ipython_changes(command: str) -> set[str]:
    """The names an IPython line may bind or change ("*": any): the targets of `x = %magic`
    and `x = !cmd`; what the statement of `%time ...` binds or changes; any name for a
    magic that runs code into the namespace (`%run`); nothing for a shell command or help."""
    text = command.strip()
    assigned = _ASSIGNED.match(text)
    if assigned is not None:
        return _words(assigned.group("targets")) | _ipython_changes(text[assigned.end() - 1 :])
    if text.startswith("!") or text.endswith("?"):
        return set()
    name, _, rest = text.lstrip("%").partition(" ")
    if name in _NAMESPACE_MAGICS:
        return {"*"}
    if name in _STATEMENT_MAGICS:
        statement = re.sub(r"^(?:-\w+(?:\s+\d+)?\s+)*", "", rest.strip())  # %timeit -n 10 -r 3 ...
        changed = _statement_changes(statement)
        if changed is not None:
            return changed
    return _words(text)


def _statement_changes(statement: str) -> set[str] | None:
    """What a Python statement binds or changes in place by name (None: not Python, or it
    reaches names it does not spell)."""
    try:
        tree = ast.parse(statement)
    except (SyntaxError, ValueError):
        return None
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in REFLECTIVE:
            return None
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        target = None
        if isinstance(node, ast.Attribute | ast.Subscript) and not isinstance(node.ctx, ast.Load):
            target = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value if node.func.attr in _IN_PLACE else None
        while isinstance(target, ast.Attribute | ast.Subscript):
            target = target.value
        if isinstance(target, ast.Name):
            found.add(target.id)
    return found


def _parameters(params: cst.Parameters) -> list[cst.Param]:
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    kwargs = [params.star_kwarg] if params.star_kwarg is not None else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params, *kwargs]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


def _builtin(an: Analysis, func: cst.Name) -> bool:
    return not an.qualified_names(func) - {func.value, f"builtins.{func.value}"}


def _reflective_call(an: Analysis, expr: cst.BaseExpression) -> bool:
    """`globals()`, `locals()`, `vars()`: the namespace itself."""
    return (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value in ("globals", "locals", "vars")
        and not expr.args  # vars(obj) is the object's attributes
        and _builtin(an, expr.func)
    )


def _reflective_key(an: Analysis, target: cst.BaseExpression) -> tuple[str, cst.Name] | None:
    """`globals()["x"] = ...`: the name written ("*" when the key is not written plainly)."""
    if not isinstance(target, cst.Subscript) or not _reflective_call(an, target.value):
        return None
    func = target.value.func  # type: ignore[attr-defined]
    key = target.slice[0].slice if len(target.slice) == 1 else None
    if isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString):
        text = key.value.evaluated_value
        if isinstance(text, str):
            return text, func
    return "*", func


def _is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def _assigned_shape(an: Analysis, node: cst.CSTNode, where: CodePosition, depth: int) -> BatchShape | None:
    value = _value_of(an, node)
    if isinstance(value, tuple):
        return value
    return shape_of(an, value, where, depth + 1) if value is not None else None


def _value_of(an: Analysis, target: cst.CSTNode) -> Value | None:
    """What the assignment whose target is `target` assigns to it; unpacking included."""
    if isinstance(target, cst.Param):  # bound by the call being followed, if one is
        return _BOUND.get().get(id(target), (None, None))[0]
    path: list[int] = []
    node = target
    parent = an.parent(node)
    while isinstance(parent, cst.Element):
        holder = an.parent(parent)
        if not isinstance(holder, cst.Tuple | cst.List):
            return None
        path.insert(0, holder.elements.index(parent))
        node, parent = holder, an.parent(holder)
    if isinstance(parent, cst.AugAssign):  # x /= 255.0 keeps the shape: look further back
        return node if isinstance(node, cst.Name) else None
    if not isinstance(parent, cst.AssignTarget):
        if isinstance(parent, cst.AnnAssign) and not path:
            return parent.value
        return None
    statement = an.parent(parent)
    if not isinstance(statement, cst.Assign):
        return None
    return _unpack(an, statement.value, path)


def _unpack(an: Analysis, value: cst.BaseExpression, path: Sequence[int]) -> Value | None:
    if not path:
        return value
    if isinstance(value, cst.Tuple | cst.List) and path[0] < len(value.elements):
        return _unpack(an, value.elements[path[0]].value, path[1:])
    if (
        isinstance(value, cst.Call)
        and len(path) == 1
        and "sklearn.model_selection.train_test_split" in an.qualified_names(value.func)
    ):
        arrays = [a.value for a in value.args if a.keyword is None and not a.star]
        if path[0] // 2 < len(arrays):  # X_train, X_test, y_train, y_test: each array twice, in order
            return cst.Subscript(arrays[path[0] // 2], [cst.SubscriptElement(cst.Slice(None, None))])
        return None
    if isinstance(value, cst.Call) and an.qualified_names(value.func) & {
        "tensorflow_datasets.load",
        "tensorflow_datasets.core.load",
    }:  # (train, test), info = tfds.load(...): read as tfds.load(...)[0][1]
        part: cst.BaseExpression = value
        for index in path:
            part = cst.Subscript(part, [cst.SubscriptElement(cst.Index(cst.Integer(str(index))))])
        return part
    if isinstance(value, cst.Call) and path == [0]:  # X, y = make_moons(...)
        found = _sklearn_features(an, value, 0)
        if found is not None:
            return found
    if isinstance(value, cst.Call) and len(path) == 2 and path[1] == 0:  # (x_train, _), (x_test, _)
        for name in an.qualified_names(value.func):
            module, _, leaf = name.rpartition(".")
            dataset = module.rpartition(".")[2]
            if leaf == "load_data" and ".datasets." in f"{module}." and dataset in DATASETS:
                return DATASETS[dataset]
    return None


SCALERS = {
    f"sklearn.preprocessing.{name}"
    for name in ("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer")
}


def _is_scaler(an: Analysis, receiver: cst.BaseExpression) -> bool:
    """`StandardScaler()` itself, or a name bound once to one: transforms that keep the shape."""
    value = _only_value(an, receiver) if isinstance(receiver, cst.Name) else receiver
    return isinstance(value, cst.Call) and bool(an.qualified_names(value.func) & SCALERS)


def _only_value(an: Analysis, name: cst.Name) -> Value | None:
    """What `name` is bound to, when it is bound once and never changed in place."""
    assignments = _assignments(an, name)
    if len(assignments) != 1 or _changed(an, name, None, None, items=True):
        return None
    return _value_of(an, assignments[0].node) if isinstance(assignments[0].node, cst.CSTNode) else None
