"""What a lint rule is: a code, a message, a check over one analysed module, and
embedded VALID / INVALID examples that are its tests (the way Fixit rules are).

A rule yields Violations; `rules.engine` handles suppression comments, applies fixes
and turns violations into Findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import libcst as cst
from libcst.metadata import Scope

from seq2func.analysis.find import Analysis
from seq2func.edits.imports import ImportItem
from seq2func.edits.parts import Edit
from seq2func.types import VerifyMode

T = TypeVar("T")


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag; `fixed` is the text after --fix (None: no fix is offered)."""

    source: str  # the example, as a user would write it
    fixed: str | None = None
    message: str | None = None  # a fragment the message must contain
    range: tuple[int, int, int, int] | None = None  # line, column, end line, end column (1-based)


@dataclass
class Violation:
    node: cst.CSTNode  # where the finding is reported
    message: str
    fix: list[Edit] = field(default_factory=list)
    no_fix: str | None = None  # why no fix is offered, when there is none
    imports: list[ImportItem] = field(default_factory=list)  # names the fix uses, imported with it
    lines: tuple[int, ...] = ()  # the lines the message and no_fix name
    # the names the fix binds, by scope: taken once the fix is applied (`RuleContext.fixed_names`)
    binds: tuple[tuple[Scope, str], ...] = ()


@dataclass
class RuleContext:
    """What the rules of one check share: the module, its lines, and what one rule computed
    for others (`once`)."""

    analysis: Analysis
    lines: list[str]  # the source lines, for comments the syntax tree keeps elsewhere
    _once: dict[Callable[[RuleContext], Any], Any] = field(default_factory=dict)
    # what the fixes applied so far bind, by scope: a later fix names its bindings past them,
    # and a fix left out (suppressed, or of another line) takes no name, so a fix's names
    # depend only on the text and the fixes applied with it (rules yield one at a time)
    fixed_names: dict[Scope, set[str]] = field(default_factory=dict)

    def once(self, compute: Callable[[RuleContext], T]) -> T:
        """compute(self), computed once for this check (keyed by the function itself)."""
        if compute not in self._once:
            self._once[compute] = compute(self)
        result: T = self._once[compute]
        return result


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # a short, stable slug
    summary: ClassVar[str]
    fix_title: ClassVar[str | None] = None  # what the fix is called in an editor
    # what `--fix --verify` proves: the same network, or the same network with duplicates merged
    proof: ClassVar[VerifyMode] = "equivalence"
    default: ClassVar[bool] = True  # run without --select (migration rules are asked for by name)
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()

    def check(self, context: RuleContext) -> Iterator[Violation]:
        raise NotImplementedError
