"""Generated programs over every data source the static reader reads, run for real: no
conversion breaks a program that runs (the static reader is right, or refuses), and the proof
calls every conversion that would different (that the proof catches a wrong reader is shown
by `test_proof.test_a_keyword_the_static_reader_misses_is_caught_by_the_real_loader`, on a
reader made wrong). Sixteen here; `bench/bench_loaders.py` runs a thousand and more."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from loader_differential import check

pytestmark = pytest.mark.tensorflow


def test_no_conversion_that_breaks_its_program_is_blessed(tmp_path: Path) -> None:
    cases, problems = check(list(range(16)), tmp_path)
    assert not problems, "\n".join(problems)
    ran = Counter(
        (c.original_ran == "ran", c.converted_ran == "ran", c.verdict) for c in cases if c.converted
    )
    assert not [key for key in ran if key[0] and not key[1]], ran  # none breaks its program
    assert ran[(True, True, "equivalent")] >= 3, ran  # not vacuous: conversions run, and are proven
