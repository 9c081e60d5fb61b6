"""An edited text's survey from the last one's: what an editor asks after each pause in typing.

A survey of a module (its Sequentials, what can be done to each, the rule findings) costs a
LibCST parse and analysis of every statement that matters, and a plan of every model: half a
second at 5,000 lines. After an edit inside one top-level statement, most of that is known.
What a conversion of a model reads is (1) the statements linked to it by module-level names,
which narrowing keeps (see `narrow`), and (2) the module's `ModuleFacts` (how the first
Sequential is spelled, every Keras family, who binds `Input`/`Model`). So:

- the edited statements (and those typed or deleted between others) are told from the rest
  by their text (`align`: an editor carries its analysis through edits elsewhere, so one
  survey may meet several edits);
- the statements linked to the edited ones, before or after the edit, are analysed anew, with
  every other statement stood in for (`focused`), and the module's facts are the old ones' outside
  them and the new analysis's inside them;
- what the survey said of every other statement stays, its lines moved, when the module's facts
  plan imports as before; otherwise (a new Keras family, a new `Input`), everything is
  surveyed again.

Anything else that an edit could reach across statements refuses the shortcut: an edit
outside the statements (a comment between them), or across their bounds; a model built at
module level among the statements analysed (the module scope's names are handed out model
by model); a message that names a line, when lines moved. `tests/test_incremental.py` compares every answer with
a survey of the whole text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from libcst.metadata import GlobalScope

from seq2func.analysis.find import Analysis, ModuleFacts, WholeModule, find_constructions, model_names
from seq2func.analysis.module_facts import in_order, module_facts_of, own_module_facts
from seq2func.analysis.narrow import (
    LINE,
    Unit,
    module_names,
    outline_of,
    reaching,
    relevant,
    units,
    within_units,
)
from seq2func.analysis.parse import (
    analyse_part,
    compiles,
    deep_recursion,
    python_syntax,
    statement_spans,
)
from seq2func.edits.imports import ImportPlan, plan_imports
from seq2func.types import ConvertError, Location, NotebookFacts, Skip, Survey


@dataclass(frozen=True)
class Surveyed:
    """A text with its survey, and what the survey of its next edit starts from."""

    text: str
    lines: tuple[str, ...]  # Python's lines, ends kept
    units: tuple[Unit, ...]
    statements: tuple[tuple[int, int], ...]  # every top-level statement's lines
    survey: Survey
    module_facts: ModuleFacts
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
            module_facts_of(analysis),
            plan_imports(analysis),
        )


def focused(
    lines: Sequence[str],
    found: Sequence[Unit],
    keep: Sequence[bool],
    statements: tuple[tuple[int, int], ...],
    keras_modules: Sequence[str],
    notebook: NotebookFacts | None,
) -> Analysis | None:
    """The analysis of the units `keep` picks (closed under name links, imports among them),
    the others stood in for (told the whole module's facts later, once its own are known).
    None when a model is built at module level among them."""
    # stand-ins that bind nothing (a tenth of the metadata's cost at 20,000 lines): no model
    # is made at module level here, and a function's new names are its own (`free_name`
    # asks its scope); what they read still counts (an import another statement reads stays)
    whole = WholeModule(
        outline_of(found, relevant(found)), tuple(found), statements, names=module_names(found)
    )
    analysis = analyse_part(
        lines, found, keep, whole, binds=False, keras_modules=keras_modules, notebook=notebook
    )
    if any(isinstance(c.scope, GlobalScope) for c in find_constructions(analysis)[0]):
        return None
    return analysis


def focused_on(
    surveyed: Surveyed,
    picked: Sequence[bool],
    keras_modules: Sequence[str],
    notebook: NotebookFacts | None,
) -> Analysis | None:
    """The analysis of the units `picked` and all they reach (imports too), the others stood
    in for, told the whole text's facts that its survey holds: what converting those units'
    models, or fixing their findings, reads of the text. None as `focused`."""
    found = surveyed.units
    keep = [now or u.imports for u, now in zip(found, reaching(found, picked), strict=True)]
    analysis = focused(surveyed.lines, found, keep, surveyed.statements, keras_modules, notebook)
    return None if analysis is None else analysis.told(surveyed.module_facts, analysis.module_models)


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


def named_lines(survey: Survey) -> Iterator[tuple[int, tuple[int, ...]]]:
    """Each site and finding of the survey that names lines in what it says (`Skip.lines`,
    `Site.shared_lines`, `Finding.lines`), by the line it belongs to."""
    for s in survey.sites:
        named = (*s.shared_lines, *(s.skip.lines if s.skip is not None else ()))
        if named:
            yield s.start_line, named
    for f in survey.findings:
        if f.lines:
            yield f.location.line, f.lines


@dataclass(frozen=True)
class Edited:
    """The survey of an edited text, and the analysis of the statements it surveyed anew."""

    surveyed: Surveyed
    analysis: Analysis
    kept: tuple[bool, ...]  # the units `analysis` holds


@dataclass(frozen=True)
class Alignment:
    """The top-level statements of an edited text against the last one's: those whose text
    is the same (moved, perhaps), and the rest, edited (or new, or gone)."""

    found: list[Unit]  # the new text's units
    old_edited: list[bool]  # by the old units
    new_edited: list[bool]  # by the new ones
    image: list[int | None]  # each old unit's index among the new ones (None: edited)
    lines: dict[int, int]  # old line -> new line, for lines outside edited units of the segment
    segment: tuple[int, int, int]  # old first and last line of the edited span, and its shift
    spans: list[tuple[int, int]]  # the new statements of that span

    def line(self, n: int) -> int | None:
        """Where an old line is now; None inside an edited statement."""
        first, last, delta = self.segment
        if n < first:
            return n
        if n > last:
            return n + delta
        return self.lines.get(n)

    def moves(self, n: int) -> bool:
        return self.line(n) != n


def align(before: Surveyed, lines: Sequence[str]) -> Alignment | None:
    """The statements an edit (or several) changed, made or removed; None unless the edited
    span parses, and every line outside those statements (comments between them) is the same."""
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
    old = before.units
    # old lines head+1 .. len-tail became new lines head+1 .. len-tail (none: lines inserted
    # between two); the edited span runs from the statement before them to the one after
    start, stop = head + 1, len(old_lines) - tail
    i0 = max((i for i, u in enumerate(old) if u.first <= start), default=0)
    i1 = min((i for i, u in enumerate(old) if u.last >= stop), default=len(old) - 1)
    first = old[i0].first if old[i0].first <= start else 1  # from the top of the file
    last = old[i1].last if old[i1].last >= stop else len(old_lines)  # to its end
    segment = "".join(lines[first - 1 : last + delta])
    try:
        tree = python_syntax(segment)
    except ConvertError:
        return None  # the whole text's analysis says why
    shift = first - 1
    now = [dataclasses.replace(u, first=u.first + shift, last=u.last + shift) for u in units(tree)]

    def text_of(u: Unit, of: Sequence[str]) -> str:
        return "".join(of[u.first - 1 : u.last])

    span = old[i0 : i1 + 1]
    matcher = SequenceMatcher(None, [text_of(u, old_lines) for u in span], [text_of(u, lines) for u in now])
    image: list[int | None] = [i if i < i0 else i + len(now) - len(span) for i in range(len(old))]
    for i in range(i0, i1 + 1):
        image[i] = None
    new_edited = [False] * i0 + [True] * len(now) + [False] * (len(old) - i1 - 1)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            image[i0 + a + k] = i0 + b + k
            new_edited[i0 + b + k] = False
    old_edited = [i0 <= i <= i1 and image[i] is None for i in range(len(old))]
    # every line of the span outside the edited statements is the same, in the same order
    # (blank lines aside: a new statement comes with its own)
    found = [
        *old[:i0],
        *now,
        *(dataclasses.replace(u, first=u.first + delta, last=u.last + delta) for u in old[i1 + 1 :]),
    ]
    outside_old = _outside(old_lines, range(first, last + 1), old, old_edited)
    outside_new = _outside(lines, range(first, last + delta + 1), found, new_edited)
    if [old_lines[n - 1] for n in outside_old] != [lines[n - 1] for n in outside_new]:
        return None
    spans = [(a + shift, b + shift) for a, b in statement_spans(tree)]
    return Alignment(
        found,
        old_edited,
        new_edited,
        image,
        dict(zip(outside_old, outside_new, strict=True)),
        (first, last, delta),
        spans,
    )


@deep_recursion
def after_edit(
    before: Surveyed,
    text: str,
    survey_of: Callable[[Analysis], Survey],
    keras_modules: Sequence[str] = (),
    notebook: NotebookFacts | None = None,
) -> Edited | None:
    """The survey of `text` (`before.text` edited) from `before`'s, surveying (`survey_of`) only
    the statements the edits can reach; None when that cannot be shown exact."""
    if text == before.text or (notebook is not None and notebook.observed):
        return None  # (a saved output's shape holds until any statement changes the value in place)
    lines = LINE.findall(text)
    aligned = align(before, lines)
    if aligned is None:
        return None
    if "__future__" in text:  # `annotations` refuses a yield in any annotation
        try:
            compiles(text)
        except ConvertError:
            return None  # the whole text's analysis says why
    # otherwise the old text compiled, and so does the edited span (`align` compiled it):
    # what only the compiler refuses lies within a statement
    found, line = aligned.found, aligned.line
    # analysed anew: what the edited statements reach now, what they reached before (each
    # closed: the links of no other statement changed), and the imports
    then = reaching(before.units, aligned.old_edited)
    keep = [now or u.imports for u, now in zip(found, reaching(found, aligned.new_edited), strict=True)]
    for i, reached in enumerate(then):
        target = aligned.image[i]
        if reached and target is not None:
            keep[target] = True
    # a statement whose message names a line that moved is surveyed anew
    stale = {
        n
        for old_n, named in named_lines(before.survey)
        if any(aligned.moves(k) for k in named) and (n := line(old_n)) is not None
    }
    if stale:
        again = reaching(found, [any(u.first <= n <= u.last for n in stale) for u in found])
        keep = [a or b for a, b in zip(keep, again, strict=True)]
    first, last, delta = aligned.segment
    statements = tuple(
        sorted(
            [
                *(
                    (a, b) if b < first else (a + delta, b + delta)
                    for a, b in before.statements
                    if b < first or a > last
                ),
                *aligned.spans,
            ]
        )
    )
    if any(n == 0 for n, _ in before.module_facts.bindings):
        return None  # a binding with no place cannot be told inside or outside
    analysis = focused(lines, found, keep, statements, keras_modules, notebook)
    if analysis is None:
        return None
    own = own_module_facts(analysis)
    # the old units analysed anew: those edited, and those whose new place is kept
    old_keep = [i is None or keep[i] for i in aligned.image]

    anew = within_units(before.units, old_keep)  # an old line in a statement analysed anew
    here = within_units(found, keep)  # a new line in a statement analysed anew

    def placed(n: int) -> int:  # an old line outside the statements analysed anew, where it is now
        moved = line(n)
        assert moved is not None
        return moved

    facts = ModuleFacts(
        *(
            in_order(
                [*((placed(f[0]), *f[1:]) for f in old if not anew(f[0])), *(f for f in new if here(f[0]))]
            )
            for old, new in (
                (getattr(before.module_facts, f.name), getattr(own, f.name))
                for f in dataclasses.fields(ModuleFacts)
            )
        )
    )
    analysis = analysis.told(facts, analysis.module_models)
    imports = plan_imports(analysis)
    if imports != before.imports:
        return None  # the module-wide facts changed: every model may read them
    # what any model's conversion reads of every statement (an edited one's: as it was)
    reads = [(n if (m := line(n)) is None else m, what) for n, _, what in before.module_facts.sensitive]
    if sorted(reads) != sorted((n, what) for n, _, what in facts.sensitive) or {
        name for _, name in before.module_facts.attributes
    } != {name for _, name in facts.attributes}:
        return None
    if (model_names(before.module_facts) > 1) != (model_names(facts) > 1):
        return None  # the file's naming scheme changed: every model's new names may
    untouched = Survey(
        [s for s in before.survey.sites if not anew(s.start_line)],
        [f for f in before.survey.findings if not anew(f.location.line)],
    )
    if any(aligned.moves(n) for _, named in named_lines(untouched) for n in named):
        return None  # a message names a line that moved
    untouched = shifted(untouched, placed)
    fresh = survey_of(analysis)
    merged = Survey(
        sorted([*untouched.sites, *fresh.sites], key=lambda s: (s.start_line, s.location.column)),
        sorted(
            [*untouched.findings, *fresh.findings], key=lambda f: (f.location.line, f.location.column, f.code)
        ),
    )
    surveyed = Surveyed(text, tuple(lines), tuple(found), statements, merged, facts, imports)
    return Edited(surveyed, analysis, tuple(keep))


def _holds(unit: Unit, first: int, last: int) -> bool:
    """Lines first..last lie within the unit; with none (last = first - 1), the place between
    lines last and first does."""
    if first <= last:
        return unit.first <= first and last <= unit.last
    return unit.first <= last and first <= unit.last


def _outside(lines: Sequence[str], span: range, found: Sequence[Unit], edited: Sequence[bool]) -> list[int]:
    """The lines of `span` that are not blank and lie outside the edited units."""
    inside = {n for u, e in zip(found, edited, strict=True) if e for n in range(u.first, u.last + 1)}
    return [n for n in span if n not in inside and lines[n - 1].strip()]
