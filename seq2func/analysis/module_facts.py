"""A module's `ModuleFacts`: what every conversion in it reads of the whole module, beyond the
statements linked to it by name (see `drivers.incremental`), and the reads of a model that a
functional Model answers differently (`sensitive_reads`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

import libcst as cst

from seq2func.analysis.find import (
    SEQUENTIAL,
    Analysis,
    ModuleFacts,
    Spelling,
    find_constructions,
    model_names,
)


def in_order(facts: Iterable[Any]) -> tuple[Any, ...]:
    """Module facts, each led by its line, in the order of the text (those of one
    statement keep theirs)."""
    return tuple(sorted(facts, key=lambda fact: fact[:2] if isinstance(fact[1], int) else fact[:1]))


def joined(parts: Iterable[ModuleFacts]) -> ModuleFacts:
    """The facts of a module from those of its parts (each holding its own lines' facts)."""
    fields = [f.name for f in dataclasses.fields(ModuleFacts)]
    found: dict[str, list[Any]] = {name: [] for name in fields}
    for part in parts:
        for name in fields:
            found[name] += getattr(part, name)
    return ModuleFacts(*(in_order(found[name]) for name in fields))


def within(facts: ModuleFacts, lines: Callable[[int], bool]) -> ModuleFacts:
    """The facts of `facts` on the lines `lines` picks."""
    return ModuleFacts(
        *(
            tuple(f for f in getattr(facts, field.name) if lines(f[0]))
            for field in dataclasses.fields(ModuleFacts)
        )
    )


def read_alike(given: ModuleFacts, whole: ModuleFacts) -> bool:
    """Whether a conversion or a rule reads the same of `given` as of `whole`, apart from
    how `Input` and `Model` are spelled (`imports.plan_imports`, from the constructions and
    bindings: compared by the caller). The other readers: `sensitive_reads` (every
    fact) and `shapes.attributes_assigned` (the names)."""
    return (
        given.sensitive == whole.sensitive
        and {n for _, n in given.attributes} == {n for _, n in whole.attributes}
        and (model_names(given) > 1) == (model_names(whole) > 1)
    )


def module_facts_of(analysis: Analysis) -> ModuleFacts:
    """The facts of the module the analysis is part of: those it was given, or its own."""
    return analysis.module_facts or own_module_facts(analysis)


def own_module_facts(analysis: Analysis) -> ModuleFacts:
    """The facts of the code this analysis holds."""
    return analysis.once(_module_facts)


def _module_facts(analysis: Analysis) -> ModuleFacts:
    constructions, models = [], []
    for c in find_constructions(analysis)[0]:
        func = c.call.func
        qualname = next(name for name in analysis.qualified_names(func) if name in SEQUENTIAL)
        base = outer = None
        if isinstance(func, cst.Attribute):
            base = analysis.code(func.value)
            if isinstance(func.value, cst.Attribute):
                outer = analysis.code(func.value.value)
        where = analysis.range(c.call).start
        spelling = Spelling(
            qualname, analysis.written_name(func, qualname), isinstance(func, cst.Attribute), base, outer
        )
        constructions.append((where.line, where.column, spelling))
        models.append((where.line, c.model_name))
    bindings = set()
    for scope in analysis.scopes():
        for name in ModuleFacts.BOUND:
            if name not in scope.assignments:
                continue
            for assignment in scope.assignments[name]:
                node = getattr(assignment, "node", None)
                bindings.add((analysis.range(node).start.line if node is not None else 0, name))
    return ModuleFacts(
        tuple(constructions),
        tuple(sorted(bindings)),
        sensitive_places(analysis),
        assigned_attributes(analysis),
        tuple(models),
    )


def sensitive_reads(analysis: Analysis) -> list[tuple[cst.CSTNode | None, str, int]]:
    """Every read in the module whose answer differs for a functional Model: `x.layers`,
    `x.get_layer(index=...)`, `isinstance(x, ...)`, where `x` is not a module (`keras.layers`),
    with its line; the node is None for a read this analysis stands in for (see `ModuleFacts`)."""
    own = analysis.once(_sensitive_reads)
    if analysis.module_facts is None:
        return [(node, what, analysis.range(node).start.line) for node, what in own]
    here = {_place(analysis, node): node for node, _ in own}
    return [(here.get((line, column)), what, line) for line, column, what in analysis.module_facts.sensitive]


def sensitive_places(analysis: Analysis) -> tuple[tuple[int, int, str], ...]:
    """`sensitive_reads` of this analysis's own code: (line, column, what)."""
    return tuple((*_place(analysis, node), what) for node, what in analysis.once(_sensitive_reads))


def _place(analysis: Analysis, node: cst.CSTNode) -> tuple[int, int]:
    start = analysis.range(node).start
    return start.line, start.column


def _layers_or_call(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) or (isinstance(node, cst.Attribute) and node.attr.value == "layers")


def _sensitive_reads(analysis: Analysis) -> list[tuple[cst.CSTNode, str]]:
    found: list[tuple[cst.CSTNode, str]] = []
    for node in analysis.index().calls_and_attributes:
        if not _layers_or_call(node):
            continue
        if isinstance(node, cst.Attribute):
            if not _imported(analysis, node.value):
                found.append((node, analysis.code(node)))
        elif isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Name) and func.value == "isinstance" and node.args:
                found.append((node.args[0].value, "isinstance()"))
            elif isinstance(func, cst.Attribute) and func.attr.value == "get_layer":
                positional = [a for a in node.args if a.keyword is None]
                if len(positional) > 1 or any(a.keyword and a.keyword.value == "index" for a in node.args):
                    found.append((func, f"{analysis.code(func)}(index=...)"))
    return found


def _imported(analysis: Analysis, expr: cst.BaseExpression) -> bool:
    """Whether `expr` is a module: a chain of names whose root an import binds (or an
    import statement's own dotted name)."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return False
    scope = analysis.scope(expr)
    if scope is None:
        return True  # inside an import statement: no scope of its own
    referents = [r for access in analysis.accesses_at(expr) for r in access.referents]
    return bool(referents) and all(
        isinstance(getattr(r, "node", None), cst.Import | cst.ImportFrom) for r in referents
    )


def attributes_assigned(analysis: Analysis) -> frozenset[str]:
    """Every attribute name the file assigns to (`x.a = ...`, `x.a += ...`); "*" when it
    calls `setattr` or `delattr` (any attribute may change)."""
    found = (
        analysis.module_facts.attributes
        if analysis.module_facts is not None
        else assigned_attributes(analysis)
    )
    return frozenset(name for _, name in found)


def assigned_attributes(analysis: Analysis) -> tuple[tuple[int, str], ...]:
    """`attributes_assigned` of this analysis's own code, each with its line."""
    return analysis.once(_attributes_assigned)


def _attributes_assigned(analysis: Analysis) -> tuple[tuple[int, str], ...]:
    found: set[tuple[int, str]] = set()

    def add(target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute):
            found.add((analysis.range(target).start.line, target.attr.value))
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                add(element.value)

    index = analysis.index()
    for target in index.targets:
        add(target)
    for call in index.calls:
        if isinstance(call.func, cst.Name) and call.func.value in ("setattr", "delattr"):
            found.add((analysis.range(call).start.line, "*"))
    return tuple(sorted(found))
