"""The proof against generated programs over every data source the static reader reads: a
conversion whose program fails where the original runs is called different (or refused).
Sixteen here; `bench/bench_loaders.py` runs a thousand and more."""

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
    # not vacuous: conversions that run are proven, and ones that break their program are caught
    assert ran[(True, True, "equivalent")] >= 3 and ran[(True, False, "different")] >= 3, ran
