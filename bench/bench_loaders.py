"""The proof against generated programs over the data sources the static reader reads (run by
hand; `tests/test_loader_differential.py` runs a bounded number in CI):

    .venv/bin/python bench/bench_loaders.py [PROGRAMS] [--start N]

Generates PROGRAMS programs (tests/data_programs.py, seeds START..START+PROGRAMS-1): image
folders read with every keyword, positionally, with data_format and batch_size=None, then
batched, unbatched or mapped; NumPy arrays reshaped and sliced; tf.data pipelines; notebooks
with saved outputs and IPython lines. Each is converted, run for real (original and converted,
real Keras, its folder beside it) and proven by seq2func (half the time without the folder,
which its stand-ins then make). Prints how they ran and what the proof said, and every
conversion that breaks its program and that the proof did not call different (the promise: none).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from loader_differential import check


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", type=int, nargs="?", default=1000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=100, help="programs per run (one oracle process each)")
    parser.add_argument(
        "--no-proof",
        action="store_true",
        help="only the static reader against the oracle: every conversion that breaks its program",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    tally: Counter[tuple[str, str, str]] = Counter()
    problems: list[str] = []
    for first in range(args.start, args.start + args.programs, args.chunk):
        seeds = list(range(first, min(first + args.chunk, args.start + args.programs)))
        with tempfile.TemporaryDirectory() as work:
            cases, found = check(seeds, Path(work), prove=not args.no_proof)
        problems += found
        if args.no_proof:  # what the static reader got wrong, to read
            for case in cases:
                if case.converted and case.original_ran == "ran" and case.converted_ran != "ran":
                    code = "\n".join(case.program.cells) or case.program.source
                    data = [line for line in code.splitlines() if "=" in line and "model" not in line]
                    print(f"seed {case.seed}: {case.converted_ran[:120]}\n    " + "\n    ".join(data))
        for case in cases:
            original = "original runs" if case.original_ran == "ran" else "original fails"
            converted = (
                "not converted"
                if case.converted is None
                else "converted runs"
                if case.converted_ran == "ran"
                else "converted fails"
            )
            tally[(original, converted, case.verdict)] += 1
        print(f"  {seeds[-1] + 1 - args.start} programs, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{args.programs} programs in {time.perf_counter() - started:.0f} s:")
    for (original, converted, verdict), count in sorted(tally.items()):
        print(f"  {count:5}  {original}, {converted}: proof says {verdict}")
    print(f"conversions that break their program and were not called different: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
