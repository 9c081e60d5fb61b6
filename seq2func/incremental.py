"""An edited text's survey from the last one's: what an editor asks after each pause in typing.

A survey of a module (its Sequentials, what can be done to each, the rule findings) costs a
LibCST parse and analysis of every statement that matters, and a plan of every model: half a
second at 5,000 lines. After an edit inside one top-level statement, most of that is known.
What a conversion of a model reads is (1) the statements linked to it by module-level names,
which narrowing keeps (see `narrow`), and (2) the module's `Summary` (how the first
Sequential is spelled, every Keras family, who binds `Input`/`Model`). So:

- the statements linked to the edited one, before or after the edit, are analysed anew, with
  every other statement stood in for (`focused`), and the summary is the old one's outside
  them and the new analysis's inside them;
- what the survey said of every other statement stays, its lines moved, when the summary
  plans imports as before; otherwise (a new Keras family, a new `Input`), everything is
  surveyed again.

Anything else that an edit could reach across statements refuses the shortcut: an edit
outside one statement, or across its bounds; a model built at module level among the
statements analysed (the module scope's names are handed out model by model); a message
that names a line, when lines moved. `tests/test_incremental.py` compares every answer with
a survey of the whole text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from libcst.metadata import GlobalScope

from seq2func.analysis.find import Analysis, Summary, find_constructions
from seq2func.analysis.narrow import LINE, Unit, outline_of, reaching, relevant, standing_in, units
from seq2func.analysis.parse import (
    compiles,
    deep_recursion,
    libcst_module,
    python_syntax,
    statement_spans,
)
from seq2func.convert.imports import ImportPlan, plan_imports
from seq2func.convert.summary import own_summary, summary
from seq2func.types import ConvertError, Location, NotebookFacts, Skip, Survey

NAMED_LINES = re.compile(r"\blines? (\d+(?:(?:, | and | ?[-\u2013] ?)\d+)*)")


@dataclass(frozen=True)
class Surveyed:
    """A text with its survey, and what the survey of its next edit starts from."""

    text: str
    lines: tuple[str, ...]  # Python's lines, ends kept
    units: tuple[Unit, ...]
    statements: tuple[tuple[int, int], ...]  # every top-level statement's lines
    survey: Survey
    summary: Summary
    imports: ImportPlan

    @classmethod
    def of(cls, text: str, analysis: Analysis, survey: Survey) -> Surveyed | None:
        """What a survey made from the whole text's analysis leaves for the next edit."""
        if not analysis.units:  # not narrowed: no statements to tell apart
            return None
        return cls(
            text,
            tuple(LINE.findall(text)),
            analysis.units,
            analysis.statements,
            survey,
            summary(analysis),
            plan_imports(analysis),
        )


def focused(
    lines: Sequence[str],
    found: Sequence[Unit],
    keep: Sequence[bool],
    statements: tuple[tuple[int, int], ...],
    facts: Summary | None,
    keras_modules: Sequence[str],
    notebook: NotebookFacts | None,
) -> Analysis | None:
    """The analysis of the units `keep` picks (closed under name links, imports among them),
    the others stood in for, with `facts` as the whole module's summary. None when a model
    is built at module level among them."""
    text, hidden = standing_in(lines, found, keep)
    analysis = Analysis(libcst_module(text), hidden, keras_modules, notebook)
    analysis.outline = outline_of(found, relevant(found))
    analysis.units = tuple(found)
    analysis.statements = statements
    analysis.summary = facts
    if any(isinstance(c.scope, GlobalScope) for c in find_constructions(analysis)[0]):
        return None
    return analysis


def shifted(survey: Survey, line: Callable[[int], int]) -> Survey:
    """`survey` with every line number it holds passed through `line`."""

    def place(where: Location) -> Location:
        return dataclasses.replace(where, line=line(where.line))

    def skip(it: Skip | None) -> Skip | None:
        if it is None:
            return None
        start, end = (None if n is None else line(n) for n in (it.start_line, it.end_line))
        return dataclasses.replace(it, location=place(it.location), start_line=start, end_line=end)

    sites = [
        dataclasses.replace(
            s,
            start_line=line(s.start_line),
            end_line=line(s.end_line),
            location=place(s.location),
            skip=skip(s.skip),
        )
        for s in survey.sites
    ]
    findings = [
        dataclasses.replace(f, location=place(f.location), end=place(f.end) if f.end else None)
        for f in survey.findings
    ]
    return Survey(sites, findings)


def sayings(survey: Survey) -> Iterator[tuple[int, str]]:
    """Each message of the survey, with the line of the site or finding it belongs to."""
    for s in survey.sites:
        for text in (s.shared, s.skip and s.skip.message):
            if text:
                yield s.start_line, text
    for f in survey.findings:
        for text in (f.message, f.no_fix):
            if text:
                yield f.location.line, text


def named_lines(text: str) -> set[int]:
    """The line numbers a message names."""
    return {int(n) for match in NAMED_LINES.finditer(text) for n in re.findall(r"\d+", match[1])}


@dataclass(frozen=True)
class Edited:
    """The survey of an edited text, and the analysis of the statements it surveyed anew."""

    surveyed: Surveyed
    analysis: Analysis
    kept: tuple[bool, ...]  # the units `analysis` holds


@deep_recursion
def after_edit(
    before: Surveyed,
    text: str,
    survey_of: Callable[[Analysis], Survey],
    keras_modules: Sequence[str] = (),
    notebook: NotebookFacts | None = None,
) -> Edited | None:
    """The survey of `text` (`before.text` edited) from `before`'s, surveying (`survey_of`) only
    the statements the edit can reach; None when that cannot be shown exact."""
    lines = LINE.findall(text)
    old_lines = before.lines
    head = 0
    for old_line, new_line in zip(old_lines, lines, strict=False):
        if old_line != new_line:
            break
        head += 1
    tail, limit = 0, min(len(old_lines), len(lines)) - head
    while tail < limit and old_lines[-1 - tail] == lines[-1 - tail]:
        tail += 1
    delta = len(lines) - len(old_lines)
    # old lines head+1 .. len-tail became new lines head+1 .. len-tail: inside one statement
    index = next((i for i, u in enumerate(before.units) if _holds(u, head + 1, len(old_lines) - tail)), None)
    if index is None or text == before.text or (notebook is not None and notebook.observed):
        return None  # (a saved output's shape holds until any statement changes the value in place)
    old = before.units[index]
    try:
        compiles(text)
        segment = "".join(lines[old.first - 1 : old.last + delta])
        tree = python_syntax(segment)
    except ConvertError:
        return None  # the whole text's analysis says why
    now = units(tree)
    if len(now) != 1:
        return None  # the statement split in two, or became none: the outline changed
    unit = dataclasses.replace(now[0], first=now[0].first + old.first - 1, last=now[0].last + old.first - 1)
    if not _holds(unit, head + 1, len(lines) - tail):
        return None  # the edit reached the lines around the statement (a comment there may silence a finding)

    def line(n: int) -> int:  # where an old line outside the edited statement is now
        return n if n < old.first else n + delta

    found = [dataclasses.replace(u, first=line(u.first), last=line(u.last)) for u in before.units]
    found[index] = unit
    # analysed anew: what the statement reaches now, what it reached before (each closed:
    # the links of no other statement changed), and the imports
    edited = [i == index for i in range(len(found))]
    keep = [
        now or then or u.imports
        for u, now, then in zip(found, reaching(found, edited), reaching(before.units, edited), strict=True)
    ]
    if delta:  # a statement whose message names a line that moved is surveyed anew
        stale = {
            line(n) for n, said in sayings(before.survey) if any(k >= old.first for k in named_lines(said))
        }
        if stale:
            again = reaching(found, [any(u.first <= n <= u.last for n in stale) for u in found])
            keep = [a or b for a, b in zip(keep, again, strict=True)]
    spans = [(a + old.first - 1, b + old.first - 1) for a, b in statement_spans(tree)]
    statements = tuple(
        sorted([*((line(a), line(b)) for a, b in before.statements if b < old.first or a > old.last), *spans])
    )
    if any(n == 0 for n, _ in before.summary.bindings):
        return None  # a binding with no place cannot be told inside or outside
    analysis = focused(lines, found, keep, statements, None, keras_modules, notebook)
    if analysis is None:
        return None
    own = own_summary(analysis)

    def anew(n: int) -> bool:  # an old line in a statement analysed anew
        return _in(n, before.units, keep)

    def here(n: int) -> bool:  # a new line in a statement analysed anew
        return _in(n, found, keep)

    analysis.summary = Summary(
        *(
            _merged([(line(f[0]), *f[1:]) for f in old if not anew(f[0])], [f for f in new if here(f[0])])
            for old, new in (
                (getattr(before.summary, f.name), getattr(own, f.name)) for f in dataclasses.fields(Summary)
            )
        )
    )
    imports = plan_imports(analysis)
    if imports != before.imports:
        return None  # the module-wide facts changed: every model may read them
    edge = len(old_lines) - tail  # old lines after it did not change

    def moved(n: int) -> int:  # an old line, where it is now (inside the edit: as it was)
        return n + delta if n > edge else n

    reads = [(moved(n), what) for n, _, what in before.summary.sensitive]
    if sorted(reads) != sorted((n, what) for n, _, what in analysis.summary.sensitive) or {
        name for _, name in before.summary.attributes
    } != {name for _, name in analysis.summary.attributes}:
        return None  # what any model's conversion reads of every statement changed
    untouched = Survey(
        [s for s in before.survey.sites if not anew(s.start_line)],
        [f for f in before.survey.findings if not anew(f.location.line)],
    )
    if delta and any(n >= old.first for _, said in sayings(untouched) for n in named_lines(said)):
        return None  # a message names a line that moved
    untouched = shifted(untouched, line)
    fresh = survey_of(analysis)
    merged = Survey(
        sorted([*untouched.sites, *fresh.sites], key=lambda s: (s.start_line, s.location.column)),
        sorted(
            [*untouched.findings, *fresh.findings], key=lambda f: (f.location.line, f.location.column, f.code)
        ),
    )
    surveyed = Surveyed(text, tuple(lines), tuple(found), statements, merged, analysis.summary, imports)
    return Edited(surveyed, analysis, tuple(keep))


def _merged(old: list[Any], new: list[Any]) -> tuple[Any, ...]:
    """Facts of a summary, each led by its line, in the order of the text (those of one
    statement keep theirs)."""
    return tuple(sorted([*old, *new], key=lambda fact: fact[:2] if isinstance(fact[1], int) else fact[:1]))


def _holds(unit: Unit, first: int, last: int) -> bool:
    """Lines first..last lie within the unit; with none (last = first - 1), the place between
    lines last and first does."""
    if first <= last:
        return unit.first <= first and last <= unit.last
    return unit.first <= last and first <= unit.last


def _in(n: int, found: Sequence[Unit], keep: Sequence[bool]) -> bool:
    return any(u.first <= n <= u.last and kept for u, kept in zip(found, keep, strict=True))
