"""Conversion cases kept as files: `cases/<id>.before.py` becomes `cases/<id>.after.py`.

Beside them, optional `<id>.options.json` (keywords for convert_source) and `<id>.skips`
(one `code line` per expected skip). A case without `.after.py` must stay unchanged.
Most are regressions: each names the bug it guards in its id.
Regenerate an expectation by hand only after reading the diff:
    python tests/test_cases.py ID   # prints the current conversion of cases/ID.before.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from seq2func import convert_source

CASES = Path(__file__).parent / "cases"


def _ids() -> list[str]:
    return sorted(p.name.removesuffix(".before.py") for p in CASES.glob("*.before.py"))


def _options(case: str) -> dict[str, object]:
    path = CASES / f"{case}.options.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _skips(case: str) -> list[tuple[str, int]]:
    path = CASES / f"{case}.skips"
    if not path.exists():
        return []
    return [
        (code, int(line))
        for code, line in (row.split() for row in path.read_text().splitlines() if row.strip())
    ]


@pytest.mark.parametrize("case", _ids())
def test_case(case: str) -> None:
    """Should turn the before file into the after file (or leave it), with the expected skips, idempotently."""
    before = (CASES / f"{case}.before.py").read_bytes().decode()  # newlines as they are (CRLF cases)
    after_path = CASES / f"{case}.after.py"
    after = after_path.read_bytes().decode() if after_path.exists() else before
    options = _options(case)
    result = convert_source(before, **options)
    assert result.new_text == after
    assert [(s.code, s.location.line) for s in result.skips] == _skips(case)
    assert convert_source(after, **options).new_text == after  # a fixed point


if __name__ == "__main__":
    for name in sys.argv[1:]:
        source = (CASES / f"{name}.before.py").read_bytes().decode()
        sys.stdout.buffer.write(convert_source(source, **_options(name)).new_text.encode())
