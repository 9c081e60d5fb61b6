"""Dynamic properties on random programs: every conversion, in both styles, computes what the
original computes, by an independent check (tests/differential.py) and by `seq2func verify`.
A bounded number here; `bench/bench_differential.py` runs a thousand."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from programs import generate

from seq2func import convert_source
from seq2func.types import Exit
from seq2func.verify.report import format_verdict
from seq2func.verify.runner import verify_programs

pytestmark = pytest.mark.tensorflow

CHECKER = Path(__file__).parent / "differential.py"
PROGRAMS = 10


def independent_check(pairs: list[dict[str, object]], tmp: Path) -> list[str]:
    (tmp / "pairs.json").write_text(json.dumps(pairs))
    subprocess.run(
        [sys.executable, str(CHECKER), str(tmp / "pairs.json"), str(tmp / "results.json")],
        check=True,
        timeout=900,
    )
    return json.loads((tmp / "results.json").read_text())  # type: ignore[no-any-return]


def _pairs(count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    pairs = []
    while len(pairs) < count:
        program = generate(rng)
        for style in ("model", "shared"):
            result = convert_source(program.source, style=style, **program.options)
            if result.conversions:
                pairs.append(
                    {
                        "original": program.source,
                        "converted": result.new_text,
                        "integer_input": program.integer_input,
                        "what": f"{style}: {program.description}",
                    }
                )
    return pairs


def test_conversions_compute_the_same(tmp_path: Path) -> None:
    """Should give every conversion the original's parameters and outputs (independent check),
    while the same check calls a deliberately changed program different."""
    pairs = _pairs(2 * PROGRAMS, seed=11)
    broken = dict(pairs[0], converted=pairs[0]["converted"] + "final = type(final)(inp, out + 1.0)\n")
    results = independent_check([*pairs, broken], tmp_path)
    assert results[-1] != "same"  # the check can fail
    failures = [
        (p["what"], r, p["converted"]) for p, r in zip(pairs, results[:-1], strict=True) if r != "same"
    ]
    assert not failures, failures[0]


def test_verify_agrees_with_the_independent_check(tmp_path: Path) -> None:
    """Should rate equivalent, with `seq2func verify`, what the independent check found the same."""
    for pair in _pairs(3, seed=5):
        original = tmp_path / "program.py"
        original.write_text(str(pair["original"]))
        verdict = verify_programs(original, converted_source=str(pair["converted"]), timeout=240)
        assert verdict.exit_code == Exit.OK, format_verdict(verdict, str(pair["what"]))
