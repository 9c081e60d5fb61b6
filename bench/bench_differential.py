"""Differential testing at scale (run by hand):

    .venv/bin/python bench/bench_differential.py [PROGRAMS] [--verify N]

Generates PROGRAMS random Keras programs (tests/programs.py, seeds 0..PROGRAMS-1), converts
each in both styles, and checks every conversion with the independent checker
(tests/differential.py: one TensorFlow process per 100 pairs). With --verify N, also runs
`seq2func verify` on the first N conversions and counts agreements. Prints the figures
that go in the README.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from programs import generate  # noqa: E402

from seq2func import convert_source  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", type=int, nargs="?", default=1000)
    parser.add_argument(
        "--verify", type=int, default=0, help="also run seq2func verify on this many conversions"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    pairs, skips = [], collections.Counter()
    for seed in range(args.programs):
        program = generate(random.Random(seed))
        for style in ("model", "shared"):
            result = convert_source(program.source, style=style, **program.options)
            skips.update(s.code for s in result.skips)
            if result.conversions:
                pairs.append(
                    {
                        "original": program.source,
                        "converted": result.new_text,
                        "integer_input": program.integer_input,
                        "what": f"seed {seed} {style}",
                    }
                )
    converted_in = time.perf_counter() - started
    print(
        f"{args.programs} programs, {2 * args.programs} conversions tried: {len(pairs)} converted "
        f"in {converted_in:.1f} s; skips: {dict(skips)}"
    )

    results: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, len(pairs), 100):
            chunk = pairs[start : start + 100]
            Path(tmp, "pairs.json").write_text(json.dumps(chunk))
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "tests" / "differential.py"),
                    f"{tmp}/pairs.json",
                    f"{tmp}/results.json",
                ],
                check=True,
            )
            results += json.loads(Path(tmp, "results.json").read_text())
            print(f"  checked {len(results)}/{len(pairs)}", file=sys.stderr)
    different = [(p["what"], r) for p, r in zip(pairs, results, strict=True) if r != "same"]
    print(
        f"independent check: {len(pairs) - len(different)}/{len(pairs)} the same "
        f"({time.perf_counter() - started:.0f} s)"
    )
    for what, reason in different[:10]:
        print(f"  DIFFERENT {what}: {reason}")

    if args.verify:
        from seq2func.verify.runner import verify_programs

        agree = 0
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for pair, independent in list(zip(pairs, results, strict=True))[: args.verify]:
                path = Path(tmp, "program.py")
                path.write_text(pair["original"])
                verdict = verify_programs(path, converted_source=pair["converted"], timeout=240)
                agree += (verdict.exit_code == 0) == (independent == "same")
        print(
            f"seq2func verify agrees with the independent check on {agree}/{args.verify} "
            f"({time.perf_counter() - started:.0f} s)"
        )
    return 1 if different else 0


if __name__ == "__main__":
    raise SystemExit(main())
