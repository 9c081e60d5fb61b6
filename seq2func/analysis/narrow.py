"""Narrowing a module to the top-level statements a conversion can depend on.

LibCST's parse and metadata cost about twenty times Python's own parse, and most lines of a
large module never touch Keras. Before LibCST runs, each run of top-level statements that
cannot matter is replaced, line for line, by one stand-in expression that binds the same
module-level names and reads (inside a lambda) the same module-level and builtin names:

    def helper(values):          ->   helper = (__seq2func_hidden_0__, lambda: (len,), '''
        return len(values)       ->   ''')

(with triple double quotes: the lines after the first are one string token). So every
position stays where it was, edits computed on the narrowed text apply to the original, and
the names a conversion must not take are still seen as taken.

A statement matters when it mentions Keras (a name bound by a Keras or TensorFlow import,
`Sequential`, anything spelled `keras`), holds an import, or is linked to one that matters
by a module-level name: it uses a name that one binds, or binds a name that one uses.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from seq2func.core.line_map import LineMap
from seq2func.types import TextEdit

STAND_IN = "__seq2func_hidden_{}__"
KERAS_WORDS = ("keras", "tensorflow", "sequential")
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


NONE: frozenset[str] = frozenset()


@dataclass
class Unit:
    """Top-level statements that share lines (`a = 1; b = 2` is one unit)."""

    first: int  # 1-based lines, inclusive
    last: int
    # frozen once read: a large module has a unit every few lines, and an empty frozenset
    # is shared where an empty set costs 216 bytes
    binds: AbstractSet[str] = NONE  # module-level names, imports excluded
    imported: AbstractSet[str] = NONE  # module-level names bound by imports
    reads: AbstractSet[str] = NONE  # names read from the module (or builtins)
    mentions: AbstractSet[str] = NONE  # every name, in any scope
    keras: bool = False  # spells Keras itself (`keras`, `Sequential`, a Keras import)
    imports: bool = False  # holds a module-level import (placing new imports depends on them)
    keras_imports: AbstractSet[str] = NONE
    # names read inside its functions, classes and comprehensions from an enclosing scope
    # (the module's, or a function's around them): a new module-level name must not take one
    captures: AbstractSet[str] = NONE
    star: bool = False  # holds `from m import *` at module level
    # calls exec, eval, globals(), setattr...: it may change any name, whatever it spells
    reflective: bool = False


class _Collected:
    """A unit's names while its statements are read."""

    def __init__(self, first: int, last: int) -> None:
        self.first, self.last = first, last
        self.binds: set[str] = set()
        self.imported: set[str] = set()
        self.reads: set[str] = set()
        self.mentions: set[str] = set()
        self.keras = self.imports = False
        self.keras_imports: set[str] = set()
        self.captures: set[str] = set()
        self.star = False
        self.reflective = False

    def unit(self) -> Unit:
        def frozen(names: set[str]) -> AbstractSet[str]:
            return frozenset(names) if names else NONE

        return Unit(
            self.first,
            self.last,
            frozen(self.binds),
            frozen(self.imported),
            frozen(self.reads),
            frozen(self.mentions),
            self.keras,
            self.imports,
            frozen(self.keras_imports),
            frozen(self.captures),
            self.star,
            self.reflective,
        )


# builtins through which a statement may change names it never spells
REFLECTIVE = frozenset({"exec", "eval", "globals", "locals", "vars", "setattr", "delattr"})


def kerasish(word: str) -> bool:
    lowered = word.lower()
    return any(k in lowered for k in KERAS_WORDS)


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *COMPREHENSIONS)


def _scope_nodes(nodes: list[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of one scope: nested functions, classes and comprehensions are not entered
    (their names and defaults are yielded; a walrus in a comprehension binds out here)."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, COMPREHENSIONS):
            stack += [n for n in ast.walk(node) if isinstance(n, ast.NamedExpr)]
        elif not isinstance(node, SCOPES):
            stack += reversed(list(ast.iter_child_nodes(node)))


def local_names(body: list[ast.AST], arguments: ast.arguments | None) -> set[str]:
    """The names a function (or lambda) binds for itself: Python's rule, any binding in the
    body makes a name local unless it is declared global or nonlocal."""
    found: set[str] = set()
    if arguments is not None:
        args = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        found.update(a.arg for a in [*args, arguments.vararg, arguments.kwarg] if a is not None)
    declared: set[str] = set()
    for node in _scope_nodes(body):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.update((a.asname or a.name.partition(".")[0]) for a in node.names if a.name != "*")
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
    return found - declared


class _Names(ast.NodeVisitor):
    """What one top-level statement binds at module level, which module-level names it uses
    (names local to its functions are not), and every name it reads in any scope."""

    def __init__(self, unit: _Collected) -> None:
        self.unit = unit
        self.scopes: list[tuple[set[str], bool]] = []  # the locals of the scopes we are in; a class?

    def _in_scope(self, local: set[str], nodes: list[ast.AST], *, klass: bool = False) -> None:
        self.scopes.append((local, klass))
        for node in nodes:
            self.visit(node)
        self.scopes.pop()

    def _module_name(self, name: str) -> bool:
        """Python's lookup: the innermost scope, then enclosing functions (never a class body)."""
        if self.scopes and name in self.scopes[-1][0]:
            return False
        return not any(name in local for local, klass in self.scopes[:-1] if not klass)

    def bind(self, name: str) -> None:
        if self._module_name(name):
            self.unit.mentions.add(name)
            self.unit.binds.add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if kerasish(node.id):
            self.unit.keras = True
        if node.id in REFLECTIVE and isinstance(node.ctx, ast.Load):
            self.unit.reflective = True
        if self.scopes and not isinstance(node.ctx, ast.Store) and node.id not in self.scopes[-1][0]:
            self.unit.captures.add(node.id)
        if self._module_name(node.id):
            self.unit.mentions.add(node.id)
            if isinstance(node.ctx, ast.Store):
                self.unit.binds.add(node.id)
            else:
                self.unit.reads.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if kerasish(node.attr):
            self.unit.keras = True
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and self._module_name(node.target.id):
            self.unit.reads.add(node.target.id)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.unit.mentions.update(node.names)
        self.unit.binds.update(node.names)

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        if isinstance(node, ast.ClassDef):
            for base in [*node.bases, *node.keywords]:
                self.visit(base)
            self.bind(node.name)
            self._in_scope(local_names(list(node.body), None), list(node.body), klass=True)
            return
        self._arguments(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self.bind(node.name)
        self._in_scope(local_names(list(node.body), node.args), list(node.body))

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _definition

    def _arguments(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self.visit(default)
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._arguments(node.args)
        self._in_scope(local_names([node.body], node.args), [node.body])

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        for inner in ast.walk(node):  # a walrus in a comprehension binds in the enclosing scope
            if isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                self.bind(inner.target.id)
        self._in_scope(targets, list(ast.iter_child_nodes(node)))

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
        if self.scopes:
            return
        self.unit.imports = True
        for alias in node.names:
            if alias.name == "*":
                self.unit.star = True
                continue
            name = alias.asname or alias.name.partition(".")[0]
            self.unit.mentions.add(name)
            self.unit.imported.add(name)
            if kerasish(module) or kerasish(alias.name):
                self.unit.keras_imports.add(name)

    visit_Import = visit_ImportFrom = _import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bind(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.bind(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.bind(node.rest)
        self.generic_visit(node)


def units(tree: ast.Module) -> list[Unit]:
    found: list[_Collected] = []
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        last = statement.end_lineno or statement.lineno
        if found and first <= found[-1].last:
            unit = found[-1]
            unit.last = max(unit.last, last)
        else:
            unit = _Collected(first, last)
            found.append(unit)
        _Names(unit).visit(statement)
    return [unit.unit() for unit in found]


def module_names(found: Sequence[Unit]) -> frozenset[str]:
    """Every name the units bind or read at module level, or read from an enclosing scope
    inside their functions: what a new module-level name must not be (LibCST sees only the
    statements kept of a narrowed module)."""
    names: set[str] = set()
    for unit in found:
        names |= unit.binds
        names |= unit.imported
        names |= unit.reads
        names |= unit.captures
    return frozenset(names)


def relevant(found: Sequence[Unit]) -> list[bool]:
    """Which units matter: the seeds (Keras, imports) and what links to them by name."""
    keras_names = set().union(*(u.keras_imports for u in found)) if found else set()
    return linked(
        found, [u.imports or u.keras or u.reflective or bool(u.mentions & keras_names) for u in found]
    )


def linked(found: Sequence[Unit], seeds: Sequence[bool]) -> list[bool]:
    """The seeds and every unit linked to one by module-level names, step by step: it uses a
    name that one binds, or binds a name that one uses (imports link only to what they use)."""
    return _reach(found, seeds, None)


def reaching(found: Sequence[Unit], seeds: Sequence[bool]) -> list[bool]:
    """What the seeds' results can depend on, and what can depend on theirs: `linked`, except
    that plain code reached as what a unit uses (a constant, a plain helper) is followed only
    to what it uses in turn. Its other users cannot be reached through it: it holds no
    Keras code of its own, and what they read of it does not change. The relation stays
    symmetric: a unit reaches another when the other reaches it."""
    keras_names = set().union(*(u.keras_imports for u in found)) if found else set()
    return _reach(found, seeds, [u.keras or bool(u.mentions & keras_names) for u in found])


def _reach(found: Sequence[Unit], seeds: Sequence[bool], kerasish: Sequence[bool] | None) -> list[bool]:
    binders: dict[str, list[int]] = defaultdict(list)
    mentioners: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(found):
        for name in unit.binds | unit.imported:
            binders[name].append(i)
        for name in unit.mentions:
            mentioners[name].append(i)
    keep = list(seeds)
    users = list(seeds)  # reached as a seed or as a user of another: followed both ways
    queue = [i for i, kept in enumerate(keep) if kept]
    while queue:
        i = queue.pop()
        unit = found[i]
        steps = [(j, False) for n in unit.mentions for j in binders.get(n, ())]
        if kerasish is None or users[i] or kerasish[i]:
            steps += [(j, True) for n in unit.binds for j in mentioners.get(n, ())]
        for j, user in steps:
            if not keep[j] or (user and not users[j]):
                keep[j] = True
                users[j] = users[j] or user
                queue.append(j)
    return keep


def stand_in(index: int, unit: Unit | Run, lines: list[str]) -> list[str]:
    """The unit's lines replaced by one expression over as many lines; the lines after the
    first are a string's, which LibCST holds as one token."""
    binds = "".join(f"{name} = " for name in sorted(unit.binds))
    # read inside a lambda, as the statement reads them inside its functions: seen as read,
    # so no new module-level name takes them
    names = ", ".join(sorted(unit.reads))
    reads = f", lambda: ({names},)" if names else ""
    head = f"{binds}({STAND_IN.format(index)}{reads}"
    ends = [line[len(line.rstrip("\r\n")) :] for line in lines]
    if len(lines) == 1:
        return [f"{head}){ends[0]}"]
    return [f'{head}, """{ends[0]}', *ends[1:-1], '""")' + ends[-1]]


@dataclass(frozen=True)
class Run:
    """Consecutive top-level statements that cannot matter: one stand-in."""

    first: int  # 1-based lines, inclusive
    last: int
    binds: frozenset[str]
    reads: frozenset[str]


@dataclass(frozen=True)
class Outline:
    """What narrowing found of a module: the runs it stood in for, and the names that would
    link another statement to those that matter (see `relevant`)."""

    runs: tuple[Run, ...]
    keras_names: frozenset[str]  # bound by Keras imports
    bound: frozenset[str]  # bound by statements that matter
    mentioned: frozenset[str]  # named by statements that matter

    def matters(self, unit: Unit) -> bool:
        """Whether `unit`, put among this module's statements, would matter."""
        return bool(
            unit.imports
            or unit.keras
            or unit.reflective
            or unit.mentions & (self.keras_names | self.bound)
            or (unit.binds | unit.imported) & self.mentioned
        )


def narrowed(source: str, found: Sequence[Unit]) -> tuple[str, list[tuple[int, int]], Outline]:
    """`source` (of the units `found`) with the statements that cannot matter stood in for,
    the stood-in line spans, and the outline. A run of such statements (and the comments
    between them) is one stand-in."""
    keep = relevant(found)
    text, hidden = standing_in(LINE.findall(source), found, keep)
    return text, hidden, outline_of(found, keep)


def outline_of(found: Sequence[Unit], keep: Sequence[bool]) -> Outline:
    """The outline of a module whose units `keep` says matter."""
    mattering = [u for u, kept in zip(found, keep, strict=True) if kept]
    return Outline(
        tuple(_runs(found, keep)),
        frozenset().union(*(u.keras_imports for u in found)),
        frozenset().union(*(u.binds for u in mattering)),
        frozenset().union(*(u.mentions for u in mattering)),
    )


def _runs(found: Sequence[Unit], keep: Sequence[bool]) -> Iterator[Run]:
    # a run's names gathered in place: a union per unit would copy them again each time
    # (quadratic in a run's length: most of a survey after an edit at 20,000 lines)
    first = last = 0
    binds: set[str] = set()
    reads: set[str] = set()
    for unit, kept in zip(found, keep, strict=True):
        if kept:
            if first:
                yield Run(first, last, frozenset(binds), frozenset(reads))
            first = 0
            continue
        if not first:
            first = unit.first
            binds.clear()
            reads.clear()
        last = unit.last
        binds |= unit.binds
        reads |= unit.reads
    if first:
        yield Run(first, last, frozenset(binds), frozenset(reads))


def standing_in(
    lines: Sequence[str],
    found: Sequence[Unit],
    keep: Sequence[bool],
    *,
    binds: bool = True,
    reads: bool = True,
) -> tuple[str, list[tuple[int, int]]]:
    """The text of `lines` (Python's lines, ends kept) with each run of units that `keep`
    leaves out stood in for, and the stood-in line spans. `binds`, `reads`: the stand-ins
    bind, and read, the module-level names their statements do (else none)."""
    runs = [
        Run(run.first, run.last, run.binds if binds else frozenset(), run.reads if reads else frozenset())
        for run in _runs(found, keep)
    ]
    out = list(lines)
    for index, run in reversed(list(enumerate(runs))):
        out[run.first - 1 : run.last] = stand_in(index, run, out[run.first - 1 : run.last])
    return "".join(out), [(run.first, run.last) for run in runs]


def within_units(found: Sequence[Unit], keep: Sequence[bool]) -> Callable[[int], bool]:
    """Whether a line is in one of the units `keep` picks; by bisection (units are in line
    order and apart), since the module facts ask it of every fact it holds."""
    spans = [(u.first, u.last) for u, kept in zip(found, keep, strict=True) if kept]
    firsts = [first for first, _ in spans]

    def inside(n: int) -> bool:
        i = bisect.bisect_right(firsts, n) - 1
        return i >= 0 and spans[i][0] <= n <= spans[i][1]

    return inside


def carried_outline(
    outline: Outline, old: Sequence[str], new: Sequence[str], moves: LineMap
) -> Outline | None:
    """The outline of the text `new` (as lines) if every analysis of it is that of `old`
    with its lines moved by `moves`, else None. That holds when each edit lies inside a run
    of statements that cannot matter, and what the run became is again such statements,
    binding and reading the same names, so it is stood in for alike. Only the edited runs
    are parsed."""

    def now(n: int) -> int | None:  # where old line n is, the text's ends included
        return 0 if n == 0 else len(new) + 1 if n > len(old) else moves.line(n)

    regions = []
    for run in outline.runs:
        low, high = now(run.first - 1), now(run.last + 1)
        if low is not None and high is not None:
            regions.append((low + 1, high - 1, run))
    edited: dict[Run, tuple[int, int]] = {}
    for a, b in moves.dirty:
        region = next(((lo, hi, run) for lo, hi, run in regions if lo <= a + 1 and b + 1 <= hi), None)
        if region is None:
            return None
        edited[region[2]] = region[:2]
    runs = []
    for run in outline.runs:
        if run not in edited:
            first, last = moves.line(run.first), moves.line(run.last)
            assert first is not None and last is not None  # no edit is outside the edited runs
            runs.append(Run(first, last, run.binds, run.reads))
            continue
        low, high = edited[run]
        text, before = "\n".join(new[low - 1 : high]), "\n".join(old[run.first - 1 : run.last])
        if "seq2func" in text or "seq2func" in before:  # a suppression comment
            return None
        try:
            found = units(ast.parse(text))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        if not found or any(outline.matters(u) for u in found):
            return None
        binds = frozenset().union(*(u.binds for u in found))
        reads = frozenset().union(*(u.reads for u in found))
        if (binds, reads) != (run.binds, run.reads):
            return None
        runs.append(Run(low - 1 + found[0].first, low - 1 + found[-1].last, binds, reads))
    return Outline(tuple(runs), outline.keras_names, outline.bound, outline.mentioned)


class Widen(Exception):
    """An edit reached into a stood-in statement: analyse the whole module instead."""


def check_untouched(source: str, hidden: Sequence[tuple[int, int]], edits: list[TextEdit]) -> None:
    """Raise Widen when an edit (offsets into `source`) overlaps a hidden line span."""
    if not hidden or not edits:
        return
    starts = [0]
    for line in LINE.findall(source):
        starts.append(starts[-1] + len(line))
    ordered = sorted(edits, key=lambda e: e.start)
    edit_starts = [e.start for e in ordered]
    for first, last in hidden:
        begin, end = starts[first - 1], starts[min(last, len(starts) - 1)]
        # only the edits that start before the span ends and at or after the last one that
        # starts at or before it can reach into it (edits do not overlap one another)
        before = bisect.bisect_right(edit_starts, begin) - 1
        low = bisect.bisect_left(edit_starts, edit_starts[before]) if before >= 0 else 0
        for edit in ordered[low : bisect.bisect_left(edit_starts, end)]:
            inside = begin < edit.start < end or begin < edit.end < end
            if inside or (edit.start <= begin and edit.end >= end and edit.end > edit.start):
                raise Widen
