"""The static shape reader against NumPy on generated programs (run by hand;
`tests/test_shape_fuzz.py` runs a bounded number in CI):

    .venv/bin/python bench/bench_shapes.py [PROGRAMS] [--start N]

Generates PROGRAMS programs (tests/shape_programs.py): arrays made from shapes written as
tuples, lists, constants and lists grown in place, then sliced, reshaped, expanded, joined
and stacked with axes by keyword, by position and from the end, `*_like` with `shape=`,
`ndmin=`, aliases changed in place, `exec` and `globals()` writes. Each runs for real; prints
how many the reader answered, refused, and got wrong (the promise: none), with the wrong ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from shape_programs import check


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", type=int, nargs="?", default=5000)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    cases = check(range(args.start, args.start + args.programs))
    elapsed = time.perf_counter() - started
    tally = Counter(
        "program raised"
        if c.real is None
        else "wrong"
        if c.wrong
        else "answered, right"
        if c.read is not None
        else "refused"
        for c in cases
    )
    print(f"{args.programs} programs in {elapsed:.0f} s:")
    for outcome, count in sorted(tally.items()):
        print(f"  {count:6}  {outcome}")
    for case in (c for c in cases if c.wrong):
        print(f"\nseed {case.seed}: real {case.real}, read {case.read}\n{case.source}")
    return 1 if tally["wrong"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
