"""The static shape reader against NumPy (and pandas) on generated programs (`tests/shape_programs.py`):
every shape it reads is the shape the program makes. A bounded number here;
`bench/bench_shapes.py` runs thousands."""

from __future__ import annotations

from collections import Counter

from shape_programs import check

SEEDS = range(800)


def test_no_shape_read_is_wrong() -> None:
    cases = check(SEEDS)
    wrong = [c for c in cases if c.wrong]
    assert not wrong, "\n\n".join(
        f"seed {c.seed}: real {c.real}, read {c.read}\n{c.source}" for c in wrong[:5]
    )
    ran = Counter((c.real is not None, c.read is not None) for c in cases)
    # not vacuous: most programs run, and the reader answers for a good part of them, pandas
    # programs (a fifth) too
    assert ran[(True, True)] > len(SEEDS) // 4 and ran[(True, False)] > len(SEEDS) // 5, ran
    tables = [c for c in cases if "pd.DataFrame" in c.source and c.real is not None]
    assert sum(c.read is not None for c in tables) > len(SEEDS) // 20, len(tables)
