"""Arrays: the shapes numpy, TensorFlow and keras.ops calls write (`np.zeros((n, 784))`,
`np.random.rand(100, 20)`, `tf.random.normal((4, 10))`) or keep and change (`np.array(x)`,
`reshape(-1, 28, 28, 1)`, `np.expand_dims`, `np.pad`, `np.concatenate` and the stacks)."""

from __future__ import annotations

from math import prod

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keyword_args
from seq2func.shapes.core import dims_of, int_of, nested_value, python_sequence, shape_of, tuple_dims
from seq2func.shapes.registry import NOT_MINE, Read, register
from seq2func.shapes.trace import ELEMENTWISE, Value, arg, only_value
from seq2func.types import BatchShape

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


def reshaped(
    analysis: Analysis,
    source: cst.BaseExpression,
    target: list[cst.BaseExpression],
    at: CodePosition,
    depth: int,
) -> BatchShape | None:
    """`x.reshape(-1, 784)`, `x.reshape(len(x), -1)`, `np.reshape(x, (x.shape[0], 28, 28, 1))`:
    the batch axis stays first; a -1 after it is worked out from the shape of `x`."""
    dims = tuple(int_of(analysis, d, depth) for d in target)
    if ELEMENTWISE.get():  # the first dimension written is not the batch
        return None
    if not dims or -1 not in dims[1:]:
        return reshape_to(dims)
    shape = shape_of(analysis, source, at, depth + 1)
    if shape is None or not _same_batch(analysis, source, target[0], dims[0], shape[0]):
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
    analysis: Analysis,
    source: cst.BaseExpression,
    batch: cst.BaseExpression,
    value: int | None,
    known: int | None,
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


def reshape_to(target: BatchShape | None) -> BatchShape | None:
    """reshape(-1, 28, 28, 1) or reshape(x.shape[0], 784): the batch may be anything, the
    other dimensions must be known (a -1 among them is not worked out)."""
    if not target or any(d is None or d < 0 for d in target[1:]) or ELEMENTWISE.get():
        return None
    return (None, *target[1:])


def vector(analysis: Analysis, call: cst.Call, how: str, depth: int) -> BatchShape | None:
    """`np.linspace(-1, 1, 200)` (50 points by default), `np.arange(n)` / `np.arange(a, b, step)`
    of whole numbers: a vector and its length."""
    if any(a.star for a in call.args):
        return None
    if how == "linspace":
        count = arg(call, 2, "num")
        value = 50 if count is None else int_of(analysis, count, depth)
        return None if value is None or value < 0 else (value,)
    positional = [a.value for a in call.args if a.keyword is None]
    if call.args[len(positional) :] or not 1 <= len(positional) <= 3:
        return None
    bounds = [int_of(analysis, value, depth) for value in positional]
    if None in bounds or (len(bounds) == 3 and bounds[2] == 0):
        return None
    return (len(range(*(b for b in bounds if b is not None))),)


def padded_shape(
    analysis: Analysis, shape: BatchShape | None, widths: cst.BaseExpression, depth: int
) -> BatchShape | None:
    """`np.pad(x, ((0, 0), (2, 2), (2, 2)))`: each axis grows by what is added before and after."""
    if shape is None or not isinstance(widths, cst.Tuple | cst.List) or len(widths.elements) != len(shape):
        return None
    grown: list[int | None] = []
    for dim, pair in zip(shape, (e.value for e in widths.elements), strict=True):
        added = tuple_dims(analysis, pair, depth)
        if added is None or len(added) != 2 or None in added:
            return None
        grown.append(None if dim is None else dim + sum(a for a in added if a is not None))
    return tuple(grown)


def expand(shape: BatchShape | None, axis: int | None) -> BatchShape | None:
    if shape is None or axis is None or (axis >= 0 and ELEMENTWISE.get()):
        return None
    position = len(shape) + 1 + axis if axis < 0 else axis
    if not 0 < position <= len(shape):  # the batch axis must stay first
        return None
    return (*shape[:position], 1, *shape[position:])


_JOINS = frozenset({"concatenate", "hstack", "vstack", "stack", "column_stack"})


def joined(analysis: Analysis, call: cst.Call, how: str, at: CodePosition, depth: int) -> BatchShape | None:
    """`np.concatenate([a, b], axis=1)`, `np.hstack((a, b))`, `np.stack([a, b])`...: the shape
    of arrays joined, when every part's shape is known and they fit together."""
    parts = arg(call, 0, "arrays", "tup")
    if not isinstance(parts, cst.List | cst.Tuple) or not parts.elements or ELEMENTWISE.get():
        return None
    if any(not isinstance(e, cst.Element) for e in parts.elements):  # a *spread: its length is unknown
        return None
    shapes = [shape_of(analysis, e.value, at, depth + 1) for e in parts.elements]
    if any(shape is None for shape in shapes):
        return None
    known = [shape for shape in shapes if shape is not None]
    if how == "column_stack":  # vectors become columns
        known = [shape if len(shape) > 1 else (*shape, 1) for shape in known]
    rank = len(known[0])
    if any(len(shape) != rank for shape in known) or rank == 0:
        return None
    if how == "stack":  # a new axis of len(parts) at `axis`
        given = arg(call, 1, "axis")
        axis_value = 0 if given is None else int_of(analysis, given, depth)
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
        given = arg(call, 1, "axis")  # axis=None flattens: not a number, refused
        axis_value = 0 if given is None else int_of(analysis, given, depth)
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


def sampler(analysis: Analysis, call: cst.Call, names: set[str]) -> str | None:
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
        made = only_value(analysis, made)
    if isinstance(made, cst.Call) and analysis.qualified_names(made.func) & _GENERATORS:
        return call.func.attr.value
    return None


# -- the readers: numpy, TensorFlow and keras.ops calls that write or keep a shape -----------


@register("call", 10)
def constructed(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.zeros((n, 784))`, `tf.ones(shape)`, `np.full((2, 3), 0.5)`: the shape argument."""
    if not names & _SHAPE_FIRST:
        return NOT_MINE
    shape = arg(call, 0, "shape", "size")
    return dims_of(analysis, shape, depth) if shape is not None else None


@register("call", 20)
def ranged(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """A vector: `np.linspace`'s num= points, or `np.arange`'s length."""
    if not names & {"numpy.linspace", "numpy.arange"}:
        return NOT_MINE
    return vector(analysis, call, "linspace" if "numpy.linspace" in names else "arange", depth)


@register("call", 30, refuses=("a spread (*args) whose length is not written",))
def sampled(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.random.rand(100, 20)`, `rng.normal(size=(n, 4))`, `tf.random.normal((4, 10))`."""
    how = sampler(analysis, call, names)
    if how is None:
        return NOT_MINE
    if how in _SAMPLER_VARARGS:  # rand(2, 3), rand(*(2, 3)), rand(*shape)
        found: list[int | None] = []
        for a in (a for a in call.args if a.keyword is None):
            if not a.star:
                found.append(int_of(analysis, a.value, depth))
                continue
            spread = dims_of(analysis, a.value, depth) if a.star == "*" else None
            if spread is None or not isinstance(a.value, cst.Tuple | cst.List | cst.Name):
                return None  # what is spread is not known: never a guess
            found += spread
        return tuple(found) or None
    size = arg(call, _SIZE_AT[how], "size")
    return dims_of(analysis, size, depth) if size is not None else None


@register(
    "call", 40, refuses=("shape= or ndmin= given (`np.array(x, ndmin=2)`, `tf.constant(v, shape=...)`)",)
)
def converted(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.array(x)`, `tf.cast(x, ...)`, `np.zeros_like(x)`: the shape of what is converted."""
    if not names & _SAME_SHAPE:
        return NOT_MINE
    first = arg(call, 0, "x", "value", "object", "a")
    positional = [a for a in call.args if a.keyword is None]
    keywords = keyword_args(call)
    reshapes = "shape" in keywords or "ndmin" in keywords or any(a.star for a in call.args)
    if names & {"tensorflow.constant"}:  # constant(value, dtype, shape)
        reshapes = reshapes or len(positional) > 2
    elif any(name.endswith("_like") for name in names):  # zeros_like(a, dtype, order, subok, shape)
        reshapes = reshapes or len(positional) > 3
    if first is None or reshapes:
        return None
    if python_sequence(analysis, first, at) or isinstance(first, cst.BinaryOperation):
        nested = nested_value(analysis, first, at, depth)
        if nested is not None or python_sequence(analysis, first, at):
            return nested
    return shape_of(analysis, first, at, depth + 1)


@register("call", 50)
def reshaped_call(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.reshape(x, (-1, 28, 28, 1))`, `tf.reshape(x, shape)`."""
    if not names & {"numpy.reshape", "tensorflow.reshape", "keras.ops.reshape"}:
        return NOT_MINE
    source, target = arg(call, 0, "a", "tensor", "x"), arg(call, 1, "newshape", "shape")
    if source is None or target is None:
        return None
    if not isinstance(target, cst.Tuple | cst.List):
        return reshape_to(dims_of(analysis, target, depth))
    return reshaped(analysis, source, [e.value for e in target.elements], at, depth)


@register("call", 60, refuses=("inside a dataset's map(), where each element is padded alone",))
def padded_call(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.pad(x, ((0, 0), (2, 2)))`, `tf.pad(x, paddings)`."""
    if not names & {"numpy.pad", "tensorflow.pad"}:
        return NOT_MINE
    first, widths = arg(call, 0, "array", "tensor"), arg(call, 1, "pad_width", "paddings")
    if first is None or widths is None or ELEMENTWISE.get():
        return None
    return padded_shape(analysis, shape_of(analysis, first, at, depth + 1), widths, depth)


@register("call", 70)
def expanded(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.expand_dims(x, -1)`, `tf.expand_dims(x, axis=1)`."""
    if not names & {"numpy.expand_dims", "tensorflow.expand_dims", "keras.ops.expand_dims"}:
        return NOT_MINE
    first, axis = arg(call, 0, "a", "input", "x"), arg(call, 1, "axis")
    if first is None or axis is None:
        return None
    return expand(shape_of(analysis, first, at, depth + 1), int_of(analysis, axis, depth))


@register(
    "call", 100, refuses=("parts whose shapes do not fit together", "axis=None", "a spread list of parts")
)
def joined_call(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`np.concatenate`, `np.hstack`, `np.vstack`, `np.stack`, `np.column_stack`."""
    how = {name.rpartition(".")[2] for name in names if name.startswith("numpy.")} & _JOINS
    if not how:
        return NOT_MINE
    return joined(analysis, call, how.pop(), at, depth)


@register("call", 140)
def array_method(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`x.reshape(-1, 784)`, `x.astype("float32")`, `df.to_numpy()`."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return NOT_MINE
    name = func.attr.value
    if name == "reshape":
        args = [a.value for a in call.args if a.keyword is None and not a.star]
        if len(args) == 1 and isinstance(args[0], cst.Tuple | cst.List):
            args = [e.value for e in args[0].elements]
        elif len(args) == 1:
            return reshape_to(dims_of(analysis, args[0], depth))
        return reshaped(analysis, func.value, args, at, depth) if args else None
    if name in _SAME_SHAPE_METHODS:
        return shape_of(analysis, func.value, at, depth + 1)
    return NOT_MINE
