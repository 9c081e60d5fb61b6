"""Choosing names for generated bindings: readable, and free where they are bound."""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence

import libcst as cst
from libcst.metadata import GlobalScope, Scope

from seq2func.analysis.find import Analysis, assignments_of, keyword_args


def within(scope: Scope, ancestor: Scope) -> bool:
    node: Scope | None = scope
    while node is not None:
        if node is ancestor:
            return True
        parent = node.parent
        node = None if parent is node else parent
    return False


def read_within(analysis: Analysis, scope: Scope) -> set[str]:
    """Every name read in `scope` or any scope inside it that a new binding could capture:
    a read of a name the reading scope binds itself (`lambda x: x`, a local) sees only that
    binding, so it does not count (computed once for all scopes)."""
    return analysis.once(_reads_by_scope).get(id(scope), set())


def _reads_by_scope(analysis: Analysis) -> dict[int, set[str]]:
    table: dict[int, set[str]] = {}
    for inner in analysis.scopes():
        read = (
            access.node.value if isinstance(access.node, cst.Name) else analysis.code(access.node)
            for access in inner.accesses
        )
        names = {name for name in read if name not in inner.assignments}
        node: Scope | None = inner
        while node is not None:
            table.setdefault(id(node), set()).update(names)
            parent = node.parent
            node = None if parent is node else parent
    return table


def declared_within(analysis: Analysis, scope: Scope) -> set[str]:
    """Names a function (or a function inside it) declares `global` or `nonlocal`: binding
    one there would write another scope's variable (found once per scope)."""
    node = getattr(scope, "node", None)  # a function, class or comprehension; not the module
    if node is None or isinstance(node, cst.Module):
        return set()
    table = analysis.once(_declared_by_scope)
    if id(node) not in table:
        collector = _Declarations()
        node.visit(collector)
        table[id(node)] = collector.found
    return table[id(node)]


def _declared_by_scope(analysis: Analysis) -> dict[int, set[str]]:
    return {}


class _Declarations(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Global(self, node: cst.Global) -> None:
        self.found.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.found.update(item.name.value for item in node.names)


def free_name(
    analysis: Analysis, scope: Scope, candidates: Sequence[str], taken: set[str], *, first_suffix: int = 2
) -> str:
    """The first candidate that `scope` does not bind and no scope inside it reads;
    else the last candidate with a number (`name_2`, or from `first_suffix`)."""

    declared = declared_within(analysis, scope)
    unseen = analysis.module_names if isinstance(scope, GlobalScope) else frozenset()

    def used(name: str) -> bool:
        if name in taken or name in scope.assignments or name in declared or keyword.iskeyword(name):
            return True
        if name in unseen:
            return True
        return name in read_within(analysis, scope)

    for name in candidates:
        if not used(name):
            return name
    base = candidates[-1]
    n = first_suffix
    while used(f"{base}_{n}"):
        n += 1
    return f"{base}_{n}"


def snake_case(name: str) -> str:
    """Keras's own rule for default layer names: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def layer_name(layer: cst.BaseExpression) -> str:
    """`Conv2D(..., name='conv1')` -> conv1; `layers.Dense(4)` -> dense; anything else -> layer."""
    if isinstance(layer, cst.Call):
        given = keyword_args(layer).get("name")
        if given is not None and isinstance(given.value, cst.SimpleString):
            text = given.value.evaluated_value
            if isinstance(text, str) and text.isidentifier() and not keyword.iskeyword(text):
                return text
        func = layer.func
        leaf = (
            func.attr.value
            if isinstance(func, cst.Attribute)
            else func.value
            if isinstance(func, cst.Name)
            else ""
        )
        if leaf:
            return snake_case(leaf) or "layer"
    return "layer"


def only_call(analysis: Analysis, name: cst.Name) -> cst.Call | None:
    """The call whose result is the only binding of `name` (`base = f(...)`), if it is one."""
    scope = analysis.scope(name)
    assignments = (
        list(assignments_of(scope, name.value))
        if scope is not None and name.value in scope.assignments
        else []
    )
    if len(assignments) != 1 or not isinstance(assignments[0].node, cst.Name):
        return None
    assign = analysis.parent(analysis.parent(assignments[0].node) or assignments[0].node)
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.value, cst.Call):
        return assign.value
    return None
