"""Following a name back to the value that reaches a use: the assignment that binds it last
(every earlier one sure to run on the way), unpacking, a helper's parameters bound to a call's
arguments, and what changes an array in place after it is bound (then nothing is claimed).
What every family of `shapes` reads values with; it knows no family (`registry` hands an
unpacked call's result to the family that reads it)."""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

import libcst as cst
from libcst.metadata import Assignment
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keyword_args
from seq2func.analysis.narrow import REFLECTIVE
from seq2func.analysis.nodes import before
from seq2func.shapes.registry import NOT_MINE, readers
from seq2func.types import BatchShape

MAX_DEPTH = 24


T = TypeVar("T")


def arg(call: cst.Call, position: int, *keywords: str) -> cst.BaseExpression | None:
    kwargs = keyword_args(call)
    for key in keywords:
        if key in kwargs:
            return kwargs[key].value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


# what each parameter of the helpers being followed is bound to: the argument of the call
# followed (and where that call stands), or the parameter's default
Bound = Mapping[int, tuple["Value", CodePosition]]  # id(Param) -> value, where it stands


BOUND: ContextVar[Bound] = ContextVar("bound", default=MappingProxyType({}))


def helper_of(analysis: Analysis, func: cst.BaseExpression) -> cst.FunctionDef | None:
    """The function of this file `func` names, when its name is bound once, by that `def`."""
    if not isinstance(func, cst.Name):
        return None
    assignments = assignments_of(analysis, func)
    if len(assignments) != 1 or not isinstance(assignments[0].node, cst.FunctionDef):
        return None
    return assignments[0].node


def last_return(helper: cst.FunctionDef) -> cst.BaseExpression | None:
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


def bind(analysis: Analysis, call: cst.Call, params: cst.Parameters, at: CodePosition) -> Bound | None:
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
    bound = dict(BOUND.get())
    for param in everyone:
        if param.name.value in given:
            bound[id(param)] = (given[param.name.value], at)
        elif param.default is not None:
            bound[id(param)] = (param.default, analysis.range(param.default).start)
        else:
            return None
    return bound


@contextlib.contextmanager
def binding(bound: Bound) -> Iterator[None]:
    token = BOUND.set(bound)
    try:
        yield
    finally:
        BOUND.reset(token)


# The `map()` call whose function is being followed: tf.data traces the function there, so
# the names it reads from the enclosing scope have the values bound at that call.
TRACED: ContextVar[cst.Call | None] = ContextVar("traced", default=None)


# Set while a function mapped over an unbatched dataset is followed: its argument is one
# element, written here with a batch axis in front, so an operation that counts axes from
# the front (reshape, a positive axis, a slice) would be read one axis off and is refused.
ELEMENTWISE: ContextVar[bool] = ContextVar("elementwise", default=False)


def is_true(arg: cst.Arg | None) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def string_of(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _blocks(analysis: Analysis, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The suites (module, function and loop bodies...) that contain `node`, innermost first."""
    found: list[cst.CSTNode] = []
    current = analysis.parent(node)
    while current is not None:
        if isinstance(current, cst.Module | cst.IndentedBlock):
            found.append(current)
        current = analysis.parent(current)
    return found


def assignments_of(analysis: Analysis, name: cst.Name) -> list[Assignment]:
    scope = analysis.scope(name)
    if scope is None:
        return []
    return [a for a in scope[name.value] if isinstance(a, Assignment) and isinstance(a.node, cst.CSTNode)]


Value = cst.BaseExpression | BatchShape  # an expression, or a shape known without one


def reaching_value(
    analysis: Analysis, name: cst.Name, at: CodePosition
) -> tuple[Value | None, CodePosition | None]:
    """The value assigned to `name` by the assignment that reaches `at`, when that is certain."""
    node, start = reaching(analysis, name, at)
    if node is None or start is None:
        return None, None
    if isinstance(node, cst.Param):  # bound by the call being followed, if one is
        return BOUND.get().get(id(node), (None, None))
    return value_of(analysis, node), start


def reaching(
    analysis: Analysis, name: cst.Name, at: CodePosition
) -> tuple[cst.CSTNode | None, CodePosition | None]:
    """The assignment (its target) that binds `name` last before `at`, when that is certain."""
    found = last_bindings(analysis, name, at)
    return found[0] if found is not None and len(found) == 1 else (None, None)


def last_bindings(
    analysis: Analysis, name: cst.Name, at: CodePosition
) -> list[tuple[cst.CSTNode, CodePosition]] | None:
    """Every assignment that may be the last to bind `name` before `at`: the last one that
    surely runs on the way, and those after it under `if` (`if shuffle: ds = ds.shuffle(...)`).
    None when one under a loop, `try` or `with`, or in an enclosing scope, may reach it."""
    use_blocks = {id(b) for b in _blocks(analysis, name)}
    assignments = assignments_of(analysis, name)
    if len(assignments) > 1 and any(a.scope is not analysis.scope(name) for a in assignments):
        traced = TRACED.get()
        if traced is None or any(a.scope is not analysis.scope(traced) for a in assignments):
            return None  # read from an enclosing scope: which assignment ran last is not in the text
        # tf.data traces a mapped function when map() is called: it reads the names then
        use_blocks, at = {id(b) for b in _blocks(analysis, traced)}, analysis.range(traced).start
    sure: list[tuple[CodePosition, cst.CSTNode]] = []
    maybe: list[tuple[CodePosition, cst.CSTNode]] = []
    for assignment in assignments:
        node = assignment.node
        start = analysis.range(node).start
        if not before(start, at):
            continue
        if all(id(b) in use_blocks for b in _blocks(analysis, node)[:1]):
            sure.append((start, node))
        elif _only_under_if(analysis, node, use_blocks):
            maybe.append((start, node))
        else:
            return None  # assigned in a loop, try or with the use is not in: not certain
    if not sure:
        return None  # an `if` that did not run leaves nothing bound here
    last = max(sure, key=lambda pair: (pair[0].line, pair[0].column))
    later = [(node, start) for start, node in maybe if before(last[0], start)]
    return [(last[1], last[0]), *later]


def _only_under_if(analysis: Analysis, node: cst.CSTNode, use_blocks: set[int]) -> bool:
    """Whether the blocks between `node` and the use's own are all branches of `if`s."""
    for block in _blocks(analysis, node):
        if id(block) in use_blocks:
            return True
        branch = analysis.parent(block)
        if not isinstance(branch, cst.If | cst.Else):
            return False
        if isinstance(branch, cst.Else) and not isinstance(analysis.parent(branch), cst.If):
            return False  # the else of a loop or a try
    return False


def agreed(values: list[T]) -> T | None:
    """The one value every candidate gives, or None when one is unknown or they differ."""
    if not values or values[0] is None or any(v != values[0] for v in values[1:]):
        return None
    return values[0]


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


def _adds_columns(target: cst.Subscript) -> bool:
    """`df["new"] = ...`, `df[["a", "b"]] = ...`, `df.loc[:, "new"] = ...`, `df.at[0, "c"]`:
    an item written by label, which may add a column to a table (an array's items keep its
    shape, and its keys are numbers)."""
    if isinstance(target.value, cst.Attribute) and target.value.attr.value in ("loc", "at"):
        return True

    def labelled(expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
            return True
        return isinstance(expr, cst.List | cst.Tuple) and any(
            isinstance(e, cst.Element) and labelled(e.value) for e in expr.elements
        )

    return any(isinstance(e.slice, cst.Index) and labelled(e.slice.value) for e in target.slice)


@dataclass(frozen=True)
class _Change:
    """A place where a name's object may change without the name being bound: `item` for an
    item written or deleted (`x[0] = ...`, which keeps an array's shape but not a list's)."""

    scope: object  # the scope it is made in (None: unknown, any time)
    at: CodePosition
    item: bool


def changed(
    analysis: Analysis, name: cst.Name, since: CodePosition | None, at: CodePosition | None, items: bool
) -> bool:
    """Whether what `name` holds may have changed in place after `since` and before `at` (any
    time when either is None): through a method that changes it, an attribute or (`items`) an
    item written, an alias of it, `exec`, `globals()`, `setattr`. A change in another scope (a
    function that may run at any time) always counts."""
    changes = analysis.once(_index_changes)
    scope = analysis.scope(name)
    for change in (*changes.get(name.value, ()), *changes.get("*", ())):
        if change.item and not items:
            continue
        if since is None or at is None or change.scope is not scope:
            return True
        if before(since, change.at) and before(change.at, at):
            return True
    return False


def _index_changes(analysis: Analysis) -> dict[str, list[_Change]]:
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
        found.setdefault(name, []).append(_Change(analysis.scope(node), analysis.range(node).start, item))
        if functions and any(p.name.value == name for p in _parameters(functions[-1].params)):
            changing.add(functions[-1].name.value)  # what a caller passes it is changed

    def written(target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                written(element.value)
            return
        base = root(target) if isinstance(target, cst.Attribute | cst.Subscript) else None
        if base is None:
            reflective = _reflective_key(analysis, target)
            if reflective is not None:
                add(reflective[0], reflective[1], False)
            return
        add(base.value, base, isinstance(target, cst.Subscript) and not _adds_columns(target))

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
                elif base is None and func.attr.value == "update" and _reflective_call(analysis, func.value):
                    found.setdefault("*", []).append(_Change(None, analysis.range(node).start, False))
            elif isinstance(func, cst.Name) and func.value in REFLECTIVE and _builtin(analysis, func):
                if func.value in ("setattr", "delattr") and node.args:
                    base = root(node.args[0].value)
                    if base is not None and not analysis.qualified_names(base) - {base.value}:
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
            if (
                isinstance(value, cst.Call)
                and analysis.qualified_names(value.func) & _SAME_OBJECT
                and value.args
            ):
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

    analysis.module.visit(Changes())
    for call in calls:  # `grow(shape)`, where `def grow(dims): dims.append(3)`
        if call.func.value in changing:  # type: ignore[attr-defined]
            for argument in call.args:
                if isinstance(argument.value, cst.Name):
                    add(argument.value.value, argument.value, False)
    module_scope = analysis.scope(analysis.module)
    for line, command in analysis.notebook.commands:  # `X = %time X[:, :6]`, `%run setup.py`
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


def values_reaching(
    analysis: Analysis, name: cst.Name, at: CodePosition
) -> list[tuple[Value | None, CodePosition | None]] | None:
    """What `name` may hold at `at`, each with where it was bound: the value that reaches it,
    or one per assignment under `if` that may (every one must then agree); None when the
    value was changed in place since it was bound."""
    bound = last_bindings(analysis, name, at)
    if bound is not None and changed(analysis, name, first_candidate(bound), at, items=False):
        return None
    if bound is not None and len(bound) > 1:
        return [(value_of(analysis, node), where) for node, where in bound]
    return [reaching_value(analysis, name, at)]


def first_candidate(candidates: list[tuple[cst.CSTNode, CodePosition]]) -> CodePosition:
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


def _builtin(analysis: Analysis, func: cst.Name) -> bool:
    return not analysis.qualified_names(func) - {func.value, f"builtins.{func.value}"}


def _reflective_call(analysis: Analysis, expr: cst.BaseExpression) -> bool:
    """`globals()`, `locals()`, `vars()`: the namespace itself."""
    return (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value in ("globals", "locals", "vars")
        and not expr.args  # vars(obj) is the object's attributes
        and _builtin(analysis, expr.func)
    )


def _reflective_key(analysis: Analysis, target: cst.BaseExpression) -> tuple[str, cst.Name] | None:
    """`globals()["x"] = ...`: the name written ("*" when the key is not written plainly)."""
    if not isinstance(target, cst.Subscript) or not _reflective_call(analysis, target.value):
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


def value_of(analysis: Analysis, target: cst.CSTNode) -> Value | None:
    """What the assignment whose target is `target` assigns to it; unpacking included."""
    if isinstance(target, cst.Param):  # bound by the call being followed, if one is
        return BOUND.get().get(id(target), (None, None))[0]
    path: list[int] = []
    node = target
    parent = analysis.parent(node)
    while isinstance(parent, cst.Element):
        holder = analysis.parent(parent)
        if not isinstance(holder, cst.Tuple | cst.List):
            return None
        path.insert(0, holder.elements.index(parent))
        node, parent = holder, analysis.parent(holder)
    if isinstance(parent, cst.AugAssign):  # x /= 255.0 keeps the shape: look further back
        return node if isinstance(node, cst.Name) else None
    if not isinstance(parent, cst.AssignTarget):
        if isinstance(parent, cst.AnnAssign) and not path:
            return parent.value
        return None
    statement = analysis.parent(parent)
    if not isinstance(statement, cst.Assign):
        return None
    return unpack(analysis, statement.value, path)


def unpack(analysis: Analysis, value: cst.BaseExpression, path: Sequence[int]) -> Value | None:
    if not path:
        return value
    if isinstance(value, cst.Tuple | cst.List) and path[0] < len(value.elements):
        return unpack(analysis, value.elements[path[0]].value, path[1:])
    for read in readers("unpack"):  # a call's result unpacked: its family's reader knows it
        found = read(analysis, value, path)
        if found is not NOT_MINE:
            return found
    return None


def only_value(analysis: Analysis, name: cst.Name) -> Value | None:
    """What `name` is bound to, when it is bound once and never changed in place."""
    assignments = assignments_of(analysis, name)
    if len(assignments) != 1 or changed(analysis, name, None, None, items=True):
        return None
    return value_of(analysis, assignments[0].node) if isinstance(assignments[0].node, cst.CSTNode) else None
