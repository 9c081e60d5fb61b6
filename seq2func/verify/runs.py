"""What a program observably does around its models, and where two runs of it differ.

A conversion may only change how models are built. So the verifier runs both programs
statement by statement, notes how each top-level statement ended, and compares: a statement
that raises only after the conversion (or raises something else), and a value that a
function writes as `global` or a module-level `assert` reads and that is no longer the same,
make the verdict "different". Pure Python: the child process fills `Outcome`s.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PLAIN = (int, float, complex, str, bytes, bool, type(None))


@dataclass(frozen=True)
class Outcome:
    """How one top-level statement ended: ran, was passed over, or raised."""

    line: int
    text: str  # the statement, unparsed: the same statement reads the same in both programs
    ended: str  # "ran", "not run", or "raised <Type>"
    detail: str = ""  # what it raised said (a Sequential and a Model word their errors apart)
    step: int | None = None  # which of the program's steps (see `verify.slicing`)


@dataclass
class ProgramRun:
    outcomes: list[Outcome] = field(default_factory=list)
    namespace: dict[str, Any] = field(default_factory=dict)
    watched: set[str] = field(default_factory=set)  # names whose values are observed


def watched_names(tree: ast.Module) -> set[str]:
    """Names a function writes as `global`, and names a module-level `assert` reads."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names.update(node.names)
    for statement in tree.body:
        if isinstance(statement, ast.Assert):
            names.update(n.id for n in ast.walk(statement) if isinstance(n, ast.Name))
    return names


def plain(value: Any, depth: int = 0) -> bool:
    """A value whose equality means the same thing in both runs (no objects, no tensors)."""
    if depth > 5:
        return False
    if isinstance(value, PLAIN):
        return True
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) <= 1000 and all(plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return len(value) <= 1000 and all(
            plain(k, depth + 1) and plain(v, depth + 1) for k, v in value.items()
        )
    return False


def describe(value: Any) -> str:
    text = repr(value) if plain(value) else f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Difference:
    """Something the converted program does that the original does not: at a line of the
    converted program (None: a value the program observes), in words."""

    line: int | None
    text: str
    step: int | None = None  # the converted program's step it happened at


def _line(line: int) -> str:
    return f"line {line}"


def differences(
    original: ProgramRun,
    converted: ProgramRun,
    at_original: Callable[[int], str] = _line,
    at_converted: Callable[[int], str] = _line,
) -> list[Difference]:
    """What the converted program does that the original does not; `at_*` say a line of each
    program as its user sees it."""
    found: list[Difference] = []
    before = [o.text for o in original.outcomes]
    after = [o.text for o in converted.outcomes]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        olds, news = original.outcomes[i1:i2], converted.outcomes[j1:j2]
        if tag == "equal":
            for old, new in zip(olds, news, strict=True):
                if old.ended != new.ended and new.ended.startswith("raised"):
                    found.append(
                        Difference(
                            new.line,
                            step=new.step,
                            text=f"{at_converted(new.line)} {_said(new)} after the conversion "
                            f"({at_original(old.line)} of the original {_past(old)})",
                        )
                    )
            continue
        # statements the conversion rewrote: what ran before must still run
        raised = [new for new in news if new.ended.startswith("raised")]
        if raised and not any(old.ended.startswith("raised") for old in olds):
            new = raised[0]
            found.append(
                Difference(
                    new.line,
                    f"{at_converted(new.line)} {_said(new)} after the conversion (the original ran there)",
                    new.step,
                )
            )
    for name in sorted(original.watched):
        if name not in original.namespace or not plain(original.namespace[name]):
            continue
        old = original.namespace[name]
        if name not in converted.namespace:
            found.append(
                Difference(
                    None, f"{name} is {describe(old)} in the original, and unbound after the conversion"
                )
            )
        elif type(converted.namespace[name]) is not type(old) or converted.namespace[name] != old:
            found.append(
                Difference(
                    None,
                    f"{name} is {describe(old)} in the original, and {describe(converted.namespace[name])} "
                    "after the conversion",
                )
            )
    return found


def _said(outcome: Outcome) -> str:
    return f"{outcome.ended}: {outcome.detail}" if outcome.detail else outcome.ended


def _past(outcome: Outcome) -> str:
    return {"ran": "ran", "not run": "was not run"}.get(outcome.ended, _said(outcome))
