"""The shape of an array an expression denotes, statically: `shape_of` follows names back
(`trace`), folds the constants that write shapes (`IMG_SIZE * 2`, `Config.SHAPE`,
`(n, 784)`), reads what numpy's indexing and arithmetic keep, and asks the registered readers
of each family (`registry`) for calls and the other expressions. An unknown anywhere gives
None: no shape is claimed."""

from __future__ import annotations

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis
from seq2func.analysis.module_facts import attributes_assigned
from seq2func.shapes.registry import NOT_MINE, readers
from seq2func.shapes.trace import (
    ELEMENTWISE,
    MAX_DEPTH,
    Value,
    agreed,
    assignments_of,
    changed,
    last_bindings,
    only_value,
    reaching_value,
    value_of,
    values_reaching,
)
from seq2func.types import BatchShape


def int_value(analysis: Analysis, expr: cst.BaseExpression) -> int | None:
    """The whole number `expr` is, when the code shows it (a literal, a constant, arithmetic)."""
    return int_of(analysis, expr, 0)


def int_of(analysis: Analysis, expr: cst.BaseExpression, depth: int) -> int | None:
    """A literal int, or a name bound once to one (`n_features = 20`)."""
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = int_of(analysis, expr.expression, depth)
        return None if inner is None else -inner
    if isinstance(expr, cst.Name | cst.Attribute) and depth < MAX_DEPTH:
        value = only_value(analysis, expr) if isinstance(expr, cst.Name) else _class_constant(analysis, expr)
        return int_of(analysis, value, depth + 1) if isinstance(value, cst.BaseExpression) else None
    if isinstance(expr, cst.BinaryOperation) and depth < MAX_DEPTH:  # IMG_SIZE * 2, SIDE // 4
        left, right = int_of(analysis, expr.left, depth + 1), int_of(analysis, expr.right, depth + 1)
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


def _class_constant(analysis: Analysis, expr: cst.Attribute) -> cst.BaseExpression | None:
    """`Config.IMG_SIZE` or `cfg.IMG_SIZE` (`cfg = Config()`, a class with no `__init__`):
    a constant of a class of this file, bound once in its body and never assigned to an
    attribute of that name anywhere in the file."""
    holder = _class_of(analysis, expr.value)
    if holder is None:
        instance = only_value(analysis, expr.value) if isinstance(expr.value, cst.Name) else None
        if isinstance(instance, cst.Call) and not instance.args:  # cfg = Config()
            holder = _class_of(analysis, instance.func)
            if holder is not None and _class_binds(holder, "__init__"):
                return None
    name = expr.attr.value
    assigned = attributes_assigned(analysis)
    if holder is None or name in assigned or "*" in assigned or _class_binds(holder, name) != 1:
        return None
    for statement in holder.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign | cst.AnnAssign) and _binds(small, name):
                    return small.value
    return None


def _class_of(analysis: Analysis, expr: cst.BaseExpression) -> cst.ClassDef | None:
    """The class of this file `expr` names: bound once, by a plain `class` (no bases, no
    decorator but @dataclass, no __post_init__)."""
    if not isinstance(expr, cst.Name):
        return None
    assignments = assignments_of(analysis, expr)
    node = assignments[0].node if len(assignments) == 1 else None
    if not isinstance(node, cst.ClassDef) or node.bases or _class_binds(node, "__post_init__"):
        return None
    decorators = [d.decorator for d in node.decorators]
    if all(
        analysis.qualified_names(d.func if isinstance(d, cst.Call) else d) & {"dataclasses.dataclass"}
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

    class Mentions(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    statement.visit(Mentions())
    return found


def dims_value(analysis: Analysis, expr: cst.BaseExpression) -> BatchShape | None:
    """The dimensions `expr` writes (`(IMG_SIZE, IMG_SIZE) + (3,)`, `Config.SHAPE`, `784`)."""
    return dims_of(analysis, expr, 0)


def dims_of(analysis: Analysis, expr: cst.BaseExpression, depth: int) -> BatchShape | None:
    """`(100, 20)`, `[100, 20]` or `100` as a shape; a name bound once to one (`SIZE = (64, 64)`)."""
    written = tuple_dims(analysis, expr, depth)
    if written is not None:
        return written
    single = int_of(analysis, expr, depth)
    return None if single is None else (single,)


def tuple_dims(analysis: Analysis, expr: cst.BaseExpression, depth: int) -> BatchShape | None:
    """A tuple or list of dimensions: written out, by name (`IMG_SHAPE`, `Config.SHAPE`), or
    joined (`(IMG_SIZE, IMG_SIZE) + (3,)`, `IMG_SIZE_2D + (1,)`)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Tuple | cst.List):
        if any(not isinstance(e, cst.Element) for e in expr.elements):
            return None
        return tuple(int_of(analysis, e.value, depth) for e in expr.elements)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "shape":  # size=x.shape
        return shape_of(analysis, expr.value, analysis.range(expr).start, depth + 1)
    if isinstance(expr, cst.Name | cst.Attribute):
        value = only_value(analysis, expr) if isinstance(expr, cst.Name) else _class_constant(analysis, expr)
        return tuple_dims(analysis, value, depth + 1) if isinstance(value, cst.BaseExpression) else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left, right = tuple_dims(analysis, expr.left, depth + 1), tuple_dims(analysis, expr.right, depth + 1)
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


def _call_shape(analysis: Analysis, call: cst.Call, at: CodePosition, depth: int) -> BatchShape | None:
    names = analysis.qualified_names(call.func)
    for read in readers("call"):
        found = read(analysis, call, names, at, depth)
        if found is not NOT_MINE:
            return found
    return None


def subscript_shape(
    analysis: Analysis, node: cst.Subscript, at: CodePosition, depth: int
) -> BatchShape | None:
    """Basic indexing, as numpy reads it: `x[:1000]` and `x[:, 0:8]` slice (a slice of the
    batch axis keeps it open), `x[..., None]` and `x[:, None]` add an axis, `x[:, 0]`
    drops one. An index of the batch axis, a step or bound not written as a number, or an
    index array refuses."""
    shape = shape_of(analysis, node.value, at, depth + 1)
    parts = [s.slice for s in node.slice]
    new_axes = [_is_new_axis(analysis, p) for p in parts]
    ellipses = [isinstance(p, cst.Index) and isinstance(p.value, cst.Ellipsis) for p in parts]
    if shape is None or sum(ellipses) > 1 or (ELEMENTWISE.get() and not ellipses[0]):
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
            size = _sliced(analysis, part, shape[axis], depth)
            if size is _UNKNOWN:
                return None
            result.append(size)  # type: ignore[arg-type]
            axis += 1
        elif axis > 0 and isinstance(part, cst.Index) and int_of(analysis, part.value, depth) is not None:
            axis += 1  # an integer index drops its axis
        else:
            return None
    return (*result, *shape[axis:])


_UNKNOWN = object()


def _sliced(analysis: Analysis, part: cst.Slice, dim: int | None, depth: int) -> int | object | None:
    """The length of `dim` sliced by `part` (None when `dim` is unknown); _UNKNOWN when a
    bound or step is not a number."""
    bounds = []
    for given in (part.lower, part.upper, part.step):
        value = None if given is None else int_of(analysis, given, depth)
        if given is not None and value is None:
            return _UNKNOWN
        bounds.append(value)
    if bounds == [None, None, None]:
        return dim
    if bounds[2] == 0:
        return _UNKNOWN
    return None if dim is None else len(range(*slice(*bounds).indices(dim)))


def _is_new_axis(analysis: Analysis, part: cst.BaseSlice) -> bool:
    if not isinstance(part, cst.Index):
        return False
    value = part.value
    return (isinstance(value, cst.Name) and value.value == "None") or bool(
        analysis.qualified_names(value) & {"numpy.newaxis", "tensorflow.newaxis"}
    )


def shape_of(
    analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int = 0
) -> BatchShape | None:
    """The full shape (batch first) of the array `expr` denotes at `at`, or None."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        values = values_reaching(analysis, expr, at)
        if values is None:
            return None  # changed in place since it was bound
        if len(values) > 1:  # bound under `if`: every branch agrees
            return agreed([_value_shape(analysis, value, where, depth) for value, where in values])
        found = _value_shape(analysis, *values[0], depth)
        if found is not None:
            return found
        for read in readers("unknown-name"):  # not written down: a notebook may show it
            seen = read(analysis, expr, at)
            if seen is not NOT_MINE:
                return seen
        return None
    if isinstance(expr, cst.Call):
        return _call_shape(analysis, expr, at, depth)
    if isinstance(expr, cst.BinaryOperation):
        if any(python_sequence(analysis, side, at) for side in (expr.left, expr.right)):
            return _repeated(analysis, expr, at, depth)  # lists repeat and join: not arithmetic
        left, right = (_scalar_or_shape(analysis, side, at, depth) for side in (expr.left, expr.right))
        if left == () or right == ():  # one side a number: the other's shape
            return right if left == () else left
        return left if left is not None and left == right else None
    if isinstance(expr, cst.UnaryOperation):
        return shape_of(analysis, expr.expression, at, depth + 1)
    for read in readers("expression"):
        found = read(analysis, expr, at, depth)
        if found is not NOT_MINE:
            return found
    if isinstance(expr, cst.Subscript):
        return subscript_shape(analysis, expr, at, depth)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "values":  # a DataFrame's array
        return shape_of(analysis, expr.value, at, depth + 1)
    if isinstance(expr, cst.List | cst.Tuple):
        return _nested(expr)
    return None


def python_sequence(analysis: Analysis, expr: cst.BaseExpression, at: CodePosition) -> bool:
    """Whether `expr` is a Python list or tuple (written, made by a comprehension, or a name
    bound to one), not an array: `*` repeats it and `+` joins it."""
    if isinstance(expr, cst.Name):
        candidates = last_bindings(analysis, expr, at) or []
        return any(
            python_sequence(analysis, v, w)
            for n, w in candidates
            if isinstance(v := value_of(analysis, n), cst.BaseExpression)
        )
    return isinstance(expr, cst.List | cst.Tuple | cst.ListComp)


def _repeated(
    analysis: Analysis, expr: cst.BinaryOperation, at: CodePosition, depth: int
) -> BatchShape | None:
    """The nested shape of `[[1.0, 2.0]] * 4` (four rows) or `rows + rows` (rows joined)."""
    if isinstance(expr.operator, cst.Multiply):
        for sequence, count in ((expr.left, expr.right), (expr.right, expr.left)):
            times = int_of(analysis, count, depth)
            if times is not None and python_sequence(analysis, sequence, at):
                shape = nested_value(analysis, sequence, at, depth)
                return None if not shape or shape[0] is None else (max(times, 0) * shape[0], *shape[1:])
        return None
    if isinstance(expr.operator, cst.Add):
        left, right = (nested_value(analysis, side, at, depth) for side in (expr.left, expr.right))
        if left and right and left[1:] == right[1:] and None not in (left[0], right[0]):
            return (left[0] + right[0], *left[1:])  # type: ignore[operator]
    return None


def nested_value(
    analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int
) -> BatchShape | None:
    """The nested shape of a Python list: written, repeated, joined or by name."""
    if isinstance(expr, cst.BinaryOperation):
        return _repeated(analysis, expr, at, depth + 1) if depth < MAX_DEPTH else None
    if isinstance(expr, cst.Name):
        value, where = reaching_value(analysis, expr, at)
        if not isinstance(value, cst.BaseExpression) or where is None or depth >= MAX_DEPTH:
            return None
        if changed(analysis, expr, where, at, items=True):
            return None
        return nested_value(analysis, value, where, depth + 1)
    return _nested(expr)


def _scalar_or_shape(
    analysis: Analysis, expr: cst.BaseExpression, at: CodePosition, depth: int
) -> BatchShape | None:
    if isinstance(expr, cst.Name):  # a number by name: `scale = 255.0`, a parameter's default
        value, _ = reaching_value(analysis, expr, at)
        expr = value if isinstance(value, cst.Integer | cst.Float) else expr
    if isinstance(expr, cst.Integer | cst.Float):
        return ()
    return shape_of(analysis, expr, at, depth + 1)


def _value_shape(
    analysis: Analysis, value: Value | None, where: CodePosition | None, depth: int
) -> BatchShape | None:
    if isinstance(value, tuple):  # known without an expression: a keras.datasets array
        return value
    return shape_of(analysis, value, where, depth + 1) if value is not None and where is not None else None
