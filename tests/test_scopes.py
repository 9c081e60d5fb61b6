"""`analysis.scopes.resolve` against LibCST's resolver (`ScopeProvider`, `PositionProvider`):
the same scopes, with the same assignments and accesses, and the same positions, for every
node of every module we can find (the corpus, the samples, generated programs, and part of
this project's own code)."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider, Scope, ScopeProvider

from seq2func.analysis.scopes import Scopes, resolve
from tests.programs import generate

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [
        *(ROOT / "bench" / "corpus").rglob("*.py"),
        *(ROOT / "samples").rglob("*.py"),
        # the language beyond Keras code: classes, closures, comprehensions, globals, match
        *(ROOT / "seq2func" / "analysis").glob("*.py"),
        ROOT / "tests" / "programs.py",
    ]
)


def _where(assignment: object) -> int:
    """The node that binds a name (0 for a builtin)."""
    return id(getattr(assignment, "node", None) or 0)


def _scope_facts(scope: Scope) -> tuple[object, ...]:
    """What a later step reads of a scope: its kind and node, what it binds, what reads what."""
    assignments = sorted((a.name, _where(a)) for a in scope.assignments)
    accesses = sorted(
        (id(a.node), a.is_annotation, a.is_type_hint, tuple(sorted((r.name, _where(r)) for r in a.referents)))
        for a in scope.accesses
    )
    return type(scope), id(getattr(scope, "node", None)), assignments, accesses, sorted(scope._assignments)


def assert_same_scopes(source: str) -> None:
    module = cst.parse_module(source)
    resolved = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many([ScopeProvider, PositionProvider])
    theirs = resolved[ScopeProvider]
    ours, positions = resolve(module)
    assert dict(positions) == dict(resolved[PositionProvider])
    # the nodes of the module (each provider also scopes the nodes it parses out of string
    # annotations: new objects in each)
    nodes = [node for node in theirs if node in positions]
    assert len(nodes) == sum(1 for node in ours if node in positions)
    pairs: dict[int, int] = {}
    for node in nodes:
        scope = theirs[node]
        mine = ours[node]
        if scope is None or mine is None:
            assert scope is mine is None
            continue
        if id(scope) not in pairs:
            assert _scope_facts(scope) == _scope_facts(mine)
        assert pairs.setdefault(id(scope), id(mine)) == id(mine), "one scope became two"
    assert len(set(pairs.values())) == len(pairs), "two scopes became one"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_same_scopes_as_scope_provider_in_a_file(path: Path) -> None:
    assert_same_scopes(path.read_text())


@pytest.mark.parametrize("seed", range(20))
def test_the_same_scopes_as_scope_provider_in_a_generated_program(seed: int) -> None:
    assert_same_scopes(generate(random.Random(seed)).source)


def test_a_mismatch_is_seen() -> None:
    """The comparison itself can fail: scopes of another parse of the same text differ."""
    source = "def f(a):\n    return a\n"
    module, other = cst.parse_module(source), cst.parse_module(source)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    ours = MetadataWrapper(other, unsafe_skip_copy=True).resolve(Scopes)
    assert ours.keys() != theirs.keys()


def _with_lone_continuations(source: str, rng: random.Random) -> str:
    """`source` with lines holding only a backslash put before some of its statements (where
    Python still reads it)."""
    import ast

    lines = source.splitlines(keepends=True)
    starts = sorted({node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.stmt)})
    for line in sorted(rng.sample(starts, min(len(starts), rng.randint(1, 4))), reverse=True):
        indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
        lines.insert(line - 1, f"{indent if rng.random() < 0.5 else ''}\\\n")
    return "".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_positions_count_lines_that_hold_only_a_backslash(seed: int) -> None:
    """LibCST neither keeps nor counts a line that is only a backslash joined to the next
    statement; such a line is read as the blank line it is to Python: every name sits where
    Python says it does."""
    import ast

    from seq2func.analysis.parse import libcst_module
    from seq2func.types import ConvertError

    rng = random.Random(seed)
    base = FILES[seed % len(FILES)].read_text() if seed % 2 else generate(rng).source
    source = _with_lone_continuations(base, rng)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pytest.skip("a continuation Python does not take here")
    try:
        module = libcst_module(source)
    except ConvertError as refused:  # joined to a line indented otherwise: refused, said so
        assert "at another indentation" in refused.message
        return
    _, positions = resolve(module)
    seen = {(r.start.line, r.start.column, n.value) for n, r in positions.items() if isinstance(n, cst.Name)}
    names = [(n.lineno, n.col_offset, n.id) for n in ast.walk(tree) if isinstance(n, ast.Name)]
    assert names and all(name in seen for name in names), [n for n in names if n not in seen][:5]
