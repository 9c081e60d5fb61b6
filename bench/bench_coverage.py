"""How many Sequential constructions convert, and why the others do not (run by hand):

    .venv/bin/python bench/bench_coverage.py [DIR ...]     # default: bench/corpus

`bench/corpus/` holds tutorial-style scripts written for this measure (MNIST/CIFAR/IMDB
tutorials, sklearn pipelines, tf.data, transfer learning, GANs, a Keras Tuner builder,
blocks inside subclassed layers, CSV data). Prints the share converted in each style and
the skips by reason code.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from seq2func import convert_source

ROOT = Path(__file__).resolve().parent


def main() -> None:
    folders = [Path(a) for a in sys.argv[1:]] or [ROOT / "corpus"]
    files = sorted(p for folder in folders for p in folder.rglob("*.py"))
    for style in ("model", "shared"):
        converted, reasons = 0, Counter[str]()
        for path in files:
            result = convert_source(path.read_text(encoding="utf-8"), style=style)
            converted += len(result.conversions)
            reasons.update(skip.code for skip in result.skips)
        total = converted + sum(reasons.values())
        print(
            f"--style {style}: {converted} of {total} constructions converted ({converted / total:.0%}) in {len(files)} files"
        )
        for code, count in reasons.most_common():
            print(f"  {count:3} {code}")


if __name__ == "__main__":
    main()
