"""The corpus of tutorial, book, course and library code (`bench/corpus`, measured by
`bench/bench_coverage.py`) as a property test: every file converts without an internal
error, what it becomes parses, and converting it again changes nothing (a fixed point)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from seq2func.api import convert_bytes
from seq2func.notebook import script_from_bytes
from seq2func.types import Options

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".py", ".ipynb"))


def test_the_corpus_is_large_enough() -> None:
    assert len(FILES) >= 150


@pytest.mark.parametrize("style", ["model", "shared"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_a_corpus_file_converts_to_a_fixed_point(path: Path, style: str) -> None:
    notebook = path.suffix == ".ipynb"
    options = Options(style=style)  # type: ignore[arg-type]
    result, once = convert_bytes(path.read_bytes(), options, notebook=notebook)
    assert not [s for s in result.skips if s.code == "internal-error"], result.skips
    ast.parse(script_from_bytes(once) if notebook else once.decode())
    again, twice = convert_bytes(once, options, notebook=notebook)
    assert twice == once, [c.model for c in again.conversions]
