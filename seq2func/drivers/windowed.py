"""Converting a large file a window of statements at a time, in memory that does not grow
with the file.

LibCST holds about 22 KB for each line of a module it analyses, and Python's own tree 4 KB:
a file of 200,000 lines would take 5 GB. But the statements of a module fall apart into
groups that share no module-level name (see `narrow.linked`); a model's conversion reads
its own group, the imports, and a few module-wide facts. So:

- Python reads the file a chunk at a time (`parse.read_in_chunks`), which also checks that
  it compiles;
- the groups, each kept whole, are packed in line order into windows of about `size`
  lines; a window's text is the file with every other statement stood in for (imports
  stay), so positions are the file's;
- each window is converted (and checked by the lint rules) with the module-wide facts: the
  `ModuleFacts` (how the first Sequential is spelled, every Keras family, who binds
  `Input`/`Model`, what reads `.layers`, ...), whether several models are built at module
  level, every name the module binds or reads (`narrow.module_names`), and the
  module-level names the windows before it handed out. The facts of the windows after it
  are not known yet: when the whole module's turn out to read differently for some window,
  every window is converted again with them (`Module.run`);
- module-level imports are changed once, at the end, from what every window added and
  removed.

Whatever this cannot show to be what converting the whole text gives (a statement that
imports what others use and binds other names, a model built among the imports, an edit
into another window's statements) raises `Whole`: the text is converted whole. `tests/test_windowed.py` compares every result
with the whole text's conversion, in windows of a few lines.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from libcst.metadata import GlobalScope

from seq2func.analysis.find import Analysis, ModuleFacts, WholeModule, find_constructions
from seq2func.analysis.module_facts import joined, module_facts_of, own_module_facts, read_alike, within
from seq2func.analysis.narrow import (
    LINE,
    Unit,
    Widen,
    module_names,
    outline_of,
    relevant,
    within_units,
)
from seq2func.analysis.parse import analyse_part, deep_recursion, read_in_chunks
from seq2func.convert.facts import Claims
from seq2func.convert.rewrite import Window, convert_window, module_imports, new_spans, survey_sites
from seq2func.drivers.incremental import Surveyed
from seq2func.edits.imports import plan_imports
from seq2func.edits.render import splice
from seq2func.rules.base import Rule
from seq2func.rules.engine import check_text
from seq2func.types import (
    CheckResult,
    ConvertError,
    Finding,
    NotebookFacts,
    Options,
    Result,
    Site,
    Survey,
    TextEdit,
)

T = TypeVar("T")


class Whole(Exception):
    """The text cannot be shown to convert in windows as it does whole (the message says
    why): convert it whole."""


# LibCST holds about 600 bytes per character of a module it reads whole: a text that cannot
# be converted in windows is converted whole up to this size (about 5 GB), refused beyond it.
WHOLE_CHARS = 8 * 2**20

# A file of more lines than this is converted in windows that hold this many lines of
# statements that matter, or a hundredth of the file's lines, whichever is more: a window
# costs about 75 KB a line it holds (LibCST, then the plans), and a few passes over the
# whole text, so a window is held to 0.75 KB a line of the file, and the passes to 100.
# One window is still cheaper than the whole text's analysis (its statements are read a
# chunk at a time, and those that cannot matter never reach LibCST): 0.49 s against 0.83 s
# at 5,000 lines (bench/bench_lsp.py's module).
WINDOW_LINES = 2_000
WINDOWS = 100


@dataclass(frozen=True)
class Windows:
    """A large module's statements, and which of them each window converts."""

    lines: list[str]  # Python's lines, ends kept
    found: list[Unit]
    statements: tuple[tuple[int, int], ...]
    imports: list[bool]  # the units every window holds: those that import (see `_context`)
    relevant: list[bool]  # the units that matter (`narrow.relevant`): the others are in no window
    window: list[int]  # by unit: the window that converts it (-1: none; the first reports on imports)
    count: int  # windows

    def owned(self, window: int) -> list[bool]:
        """The units a window converts and reports on."""
        return [w == window or (window == 0 and i) for w, i in zip(self.window, self.imports, strict=True)]


def plan_windows(text: str, size: int | None = None) -> Windows | None:
    """The windows of `text` (of about `size` lines), None when it is short enough to read
    whole; Whole when its statements cannot be told apart safely; ConvertError unless
    CPython compiles it. An editor asks for the same text's windows to survey it, then to
    convert a model: the last plan is kept (a pure function of these arguments)."""
    return _planned(text, size, WINDOW_LINES, WINDOWS)


@functools.lru_cache(maxsize=1)
def _planned(text: str, size: int | None, window_lines: int, windows: int) -> Windows | None:
    lines = LINE.findall(text)
    if size is None:
        if len(lines) <= window_lines:
            return None
        size = max(window_lines, len(lines) // windows)
    found, statements = read_in_chunks(lines, size)
    imports = _context(found)
    keep = relevant(found)
    window = [-1] * len(found)
    count, lines_in = 0, size  # windows, and lines in the last one
    for first, last in _segments(found, keep, imports):
        if lines_in >= size:
            count, lines_in = count + 1, 0
        for i in range(first, last + 1):
            if keep[i] and not imports[i]:
                window[i] = count - 1
                lines_in += found[i].last - found[i].first + 1
    return Windows(lines, found, statements, imports, keep, window, max(count, 1))


def _context(found: Sequence[Unit]) -> list[bool]:
    """The units every window holds: those that import (they link to no one). A statement
    that also binds other names (`if __name__ == "__main__":` with its own imports) is one
    window's like any other when no other statement names what it imports, none of it
    Keras or `*`; otherwise Whole."""
    mentioned: Counter[str] = Counter()
    for unit in found:
        mentioned.update(unit.mentions)
    context = []
    for unit in found:
        mixed = unit.imports and bool(unit.binds - unit.imported)
        if mixed and (unit.star or unit.keras_imports or any(mentioned[name] > 1 for name in unit.imported)):
            raise Whole("a statement both imports what others use and binds other names")
        context.append(unit.imports and not mixed)
    return context


def _segments(found: Sequence[Unit], keep: Sequence[bool], context: Sequence[bool]) -> list[tuple[int, int]]:
    """Ranges of units (first and last index) that no group of linked statements that
    matter crosses (the `context`, imports, link to none: they are in every window), in
    order."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members = [i for i in range(len(found)) if keep[i] and not context[i]]
    binder: dict[str, int] = {}
    for i in members:
        for name in found[i].binds:
            parent[root(i)] = root(binder.setdefault(name, i))
    for i in members:
        for name in found[i].mentions:
            if name in binder:
                parent[root(i)] = root(binder[name])
    spans: dict[int, tuple[int, int]] = {}
    for i in members:
        first, _ = spans.get(root(i), (i, i))
        spans[root(i)] = (first, i)
    segments: list[tuple[int, int]] = []
    for first, last in sorted(spans.values()):
        if segments and first <= segments[-1][1]:
            segments[-1] = (segments[-1][0], max(last, segments[-1][1]))
        else:
            segments.append((first, last))
    return segments


R = TypeVar("R")


class Module:
    """A large module in windows, and what the whole module says."""

    def __init__(
        self, text: str, windows: Windows, keras_modules: Sequence[str], notebook: NotebookFacts | None
    ):
        self.text, self.windows = text, windows
        self.keras_modules, self.notebook = keras_modules, notebook
        self.names = module_names(windows.found)
        self.owners = [within_units(windows.found, windows.owned(k)) for k in range(windows.count)]
        # the names that statements no window holds bind (narrowing stands them in for, its
        # stand-in binding them where it starts): a user's own `Model` class
        runs = outline_of(windows.found, windows.relevant).runs
        self.unheld = ModuleFacts(
            bindings=tuple((r.first, n) for r in runs for n in ModuleFacts.BOUND if n in r.binds)
        )

    def kept(self, window: int) -> list[bool]:
        """The units a window's analysis holds: its own, and the imports."""
        return [w == window or i for w, i in zip(self.windows.window, self.windows.imports, strict=True)]

    def analysis(self, keep: Sequence[bool]) -> Analysis:
        """The analysis of the units `keep` picks, the others stood in for."""
        # the stand-ins bind and read nothing: a window holds what links to its statements,
        # and `names` what the rest binds or reads
        windows = self.windows
        whole = WholeModule(statements=windows.statements, names=self.names)
        return analyse_part(
            windows.lines,
            windows.found,
            keep,
            whole,
            binds=False,
            reads=False,
            keras_modules=self.keras_modules,
            notebook=self.notebook,
        )

    def run(
        self, start: Callable[[], Callable[[Analysis, Callable[[int], bool]], R]]
    ) -> tuple[list[R], Analysis]:
        """`step` (made by `start`) over each window's analysis, given the whole module's
        facts, with the lines the window owns; and the analysis of the imports alone.

        A window's facts are known once it is analysed, the whole module's after the last,
        so each window is first given those of the windows so far: when what it reads of
        them (`module_facts.read_alike`; whether more than one model is built at module level)
        is what it reads of the whole module's, its outcome is the same. Otherwise every
        window is run again with the whole module's facts."""
        in_imports = within_units(self.windows.found, self.windows.imports)
        parts, models = [self.unheld], set()
        step, outcomes, given = start(), [], []
        for k, owned in enumerate(self.owners):
            analysis = self.analysis(self.kept(k))
            builds = False  # a model at module level
            for c in find_constructions(analysis)[0]:
                line = analysis.range(c.call).start.line
                if in_imports(line):
                    raise Whole("a model is built among the imports")  # found by every window
                if owned(line) and isinstance(c.scope, GlobalScope):
                    models.add(c.model_name)
                    builds = True
            parts.append(within(own_module_facts(analysis), owned))
            so_far = joined(parts)
            analysis = analysis.told(so_far, frozenset(models))
            outcomes.append(step(analysis, owned))
            given.append((so_far, plan_imports(analysis), builds, len(models) > 1))
            del analysis
        facts = joined(parts)
        if any(line == 0 for line, _ in facts.bindings):
            raise Whole("`Input` or `Model` is bound where no line tells")
        imports = self.analysis(self.windows.imports).told(facts, None)
        spelled = plan_imports(imports)
        many = len(models) > 1  # each module-level model's tensors are named for it
        if all(
            read_alike(part, facts) and plan == spelled and (not builds or then == many)
            for part, plan, builds, then in given
        ):
            return outcomes, imports
        step, outcomes = start(), []
        for k, owned in enumerate(self.owners):
            analysis = self.analysis(self.kept(k)).told(facts, frozenset(models))
            outcomes.append(step(analysis, owned))
            del analysis
        return outcomes, imports


def module_of(
    text: str, keras_modules: Sequence[str], notebook: NotebookFacts | None, size: int | None
) -> Module | None:
    """`text` in windows, None when it is short enough to read whole; Whole when it cannot be
    shown to convert in windows as it does whole; ConvertError unless CPython compiles it."""
    windows = plan_windows(text, size)
    return None if windows is None else Module(text, windows, keras_modules, notebook)


def in_windows(run: Callable[[], T | None], text: str) -> T | None:
    """What `run` makes of `text` a window at a time; None when `text` is read whole (it is
    short, or cannot be read in windows and not too long to read whole)."""
    try:
        return run()
    except Whole as why:
        if len(text) > WHOLE_CHARS:
            raise ConvertError(
                f"not converted: {len(text) / 2**20:.0f} MB is more than the {WHOLE_CHARS / 2**20:.0f} MB "
                f"that can be read at once, and the file cannot be read a part at a time: {why}"
            ) from None
        return None


@deep_recursion
def convert_windowed(
    text: str,
    options: Options,
    rules: Sequence[Rule],
    notebook: NotebookFacts | None = None,
    size: int | None = None,
) -> Result | None:
    """`text` converted a window at a time (with the rule findings unless `options.lint` is
    off), as converting it whole would; None when it is short enough to convert whole.
    Whole when it cannot be shown the same; ConvertError unless CPython compiles it."""
    module = module_of(text, options.keras_modules, notebook, size)
    if module is None:
        return None

    def start() -> Callable[[Analysis, Callable[[int], bool]], tuple[Window, list[Finding]]]:
        claims = Claims()  # the module-level names handed out, window after window

        def step(analysis: Analysis, owned: Callable[[int], bool]) -> tuple[Window, list[Finding]]:
            window = convert_window(text, options, analysis, claims, owned)
            return window, _findings(text, analysis, rules, owned) if options.lint else []

        return step

    try:
        outcomes, imports = module.run(start)
        converted = [window for window, _ in outcomes]
        findings = [f for _, found in outcomes for f in found]
        edits = module_imports(text, imports, converted)
    except Widen:
        raise Whole("an edit reaches into another part of the file") from None
    except ConvertError as error:  # a bug (a window's own are skips)
        raise Whole(error.message) from None
    if edits is None:
        raise Whole("a function's import removed in one part is named by new code in another")
    every = [*(e for w in converted for e in w.edits), *edits]
    new = _spliced(text, every)
    return Result(
        text,
        new,
        new_spans(
            [c for w in converted for c in w.conversions],
            [r for w in converted for r in w.regions],
            every,
            new,
        ),
        sorted((s for w in converted for s in w.skips), key=lambda s: (s.location.line, s.location.column)),
        _ordered(findings),
    )


@deep_recursion
def check_windowed(
    text: str, rules: Sequence[Rule], keras_modules: Sequence[str] = (), size: int | None = None
) -> CheckResult | None:
    """The rule findings of `text`, read a window at a time (see `convert_windowed`)."""
    module = module_of(text, keras_modules, None, size)
    if module is None:
        return None
    outcomes, _ = module.run(lambda: lambda analysis, owned: _findings(text, analysis, rules, owned))
    return CheckResult(text, text, _ordered([f for found in outcomes for f in found]))


@deep_recursion
def survey_windowed(
    text: str,
    options: Options,
    rules: Sequence[Rule],
    notebook: NotebookFacts | None = None,
    size: int | None = None,
) -> Surveyed | None:
    """What an editor asks of `text` (every Sequential with what can be done to it, and the
    rule findings), read a window at a time as converting it is, with what the survey of
    its next edit starts from; None when it is short enough to read whole. Whole when it
    cannot be shown the same."""
    module = module_of(text, options.keras_modules, notebook, size)
    if module is None:
        return None

    def start() -> Callable[[Analysis, Callable[[int], bool]], tuple[list[Site], list[Finding]]]:
        def step(analysis: Analysis, owned: Callable[[int], bool]) -> tuple[list[Site], list[Finding]]:
            sites = [s for s in survey_sites(text, options, analysis) if owned(s.location.line)]
            return sites, _findings(text, analysis, rules, owned) if options.lint else []

        return step

    try:
        outcomes, imports = module.run(start)
    except Widen:
        raise Whole("an edit reaches into another part of the file") from None
    sites = sorted(
        (s for found, _ in outcomes for s in found), key=lambda s: (s.start_line, s.location.column)
    )
    survey = Survey(sites, _ordered([f for _, found in outcomes for f in found]))
    windows = module.windows
    return Surveyed(
        text,
        tuple(windows.lines),
        tuple(windows.found),
        windows.statements,
        survey,
        module_facts_of(imports),
        plan_imports(imports),
    )


def _findings(
    text: str, analysis: Analysis, rules: Sequence[Rule], owned: Callable[[int], bool]
) -> list[Finding]:
    """The rule findings a window reports: those on its own lines."""
    return [f for f in check_text(text, analysis=analysis, rules=rules).findings if owned(f.location.line)]


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.location.line, f.location.column, f.code))


def _spliced(text: str, edits: list[TextEdit]) -> str:
    """`text` with `edits`, which each window checked on its own; Whole if two overlap."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    if any(b.start < a.end for a, b in itertools.pairwise(ordered)):
        raise Whole("two parts of the file edit one place")
    return splice(text, edits)
