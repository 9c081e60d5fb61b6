"""A module's `Summary`: what every conversion in it reads of the whole module, beyond the
statements linked to it by name (see `incremental`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

import libcst as cst

from seq2func.analysis.find import SEQUENTIAL, Analysis, Spelling, Summary, find_constructions, model_names
from seq2func.analysis.shapes import assigned_attributes
from seq2func.convert.facts import sensitive_places


def in_order(facts: Iterable[Any]) -> tuple[Any, ...]:
    """Facts of a summary, each led by its line, in the order of the text (those of one
    statement keep theirs)."""
    return tuple(sorted(facts, key=lambda fact: fact[:2] if isinstance(fact[1], int) else fact[:1]))


def joined(parts: Iterable[Summary]) -> Summary:
    """The summary of a module from those of its parts (each holding its own lines' facts)."""
    fields = [f.name for f in dataclasses.fields(Summary)]
    found: dict[str, list[Any]] = {name: [] for name in fields}
    for part in parts:
        for name in fields:
            found[name] += getattr(part, name)
    return Summary(*(in_order(found[name]) for name in fields))


def within(facts: Summary, lines: Callable[[int], bool]) -> Summary:
    """The facts of `facts` on the lines `lines` picks."""
    return Summary(
        *(
            tuple(f for f in getattr(facts, field.name) if lines(f[0]))
            for field in dataclasses.fields(Summary)
        )
    )


def read_alike(given: Summary, whole: Summary) -> bool:
    """Whether a conversion or a rule reads the same of `given` as of `whole`, apart from
    how `Input` and `Model` are spelled (`imports.plan_imports`, from the constructions and
    bindings: compared by the caller). The other readers: `facts.sensitive_reads` (every
    fact) and `shapes.attributes_assigned` (the names)."""
    return (
        given.sensitive == whole.sensitive
        and {n for _, n in given.attributes} == {n for _, n in whole.attributes}
        and (model_names(given) > 1) == (model_names(whole) > 1)
    )


def summary(analysis: Analysis) -> Summary:
    """The analysis's module summary: the one it was given, or its own."""
    return analysis.summary or own_summary(analysis)


def own_summary(analysis: Analysis) -> Summary:
    """The summary of the code this analysis holds."""
    return analysis.once(_summary)


def _summary(analysis: Analysis) -> Summary:
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
        for name in Summary.BOUND:
            if name not in scope.assignments:
                continue
            for assignment in scope.assignments[name]:
                node = getattr(assignment, "node", None)
                bindings.add((analysis.range(node).start.line if node is not None else 0, name))
    return Summary(
        tuple(constructions),
        tuple(sorted(bindings)),
        sensitive_places(analysis),
        assigned_attributes(analysis),
        tuple(models),
    )
