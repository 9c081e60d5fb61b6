"""Benchmark the converter (run by hand: .venv/bin/python bench/bench_convert.py).

1. `seq2func convert` on one sample, as a whole process, against `python -c "import libcst, black"`
   (run in turns, 20 each).
2. `seq2func convert --check` on a generated tree of 2,000 files (5% with a Sequential)
   against `black --check` on the same tree (fresh black cache).
"""

from __future__ import annotations

import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(command: list[str], runs: int, env: dict[str, str] | None = None, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Medians of `first` and `second` run in turns, so that a machine's load changing
    over the runs weighs on both alike."""
    a, b = [], []
    for _ in range(runs):
        for command, times in ((first, a), (second, b)):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


PLAIN = '''"""Module {i}."""
import os


def helper_{i}(values, scale=2):
    total = 0
    for value in values:
        if value % 3 == 0:
            total += value * scale
        else:
            total -= value
    return {{"total": total, "path": os.path.join("a", "b")}}


class Thing{i}:
    def __init__(self, name):
        self.name = name

    def describe(self):
        return f"{{self.name}} #{i}"
'''

MODEL = '''"""Model {i}."""
from keras.models import Sequential
from keras.layers import Dense, Dropout


def build_{i}(n):
    model = Sequential()
    model.add(Dense(64, activation="relu", input_shape=(n,)))
    model.add(Dropout(0.2))
    model.add(Dense(10, activation="softmax"))
    return model
'''


def make_tree(root: Path, files: int = 2000, share: float = 0.05) -> None:
    rng = random.Random(0)
    for i in range(files):
        sub = root / f"pkg{i % 20}"
        sub.mkdir(parents=True, exist_ok=True)
        text = MODEL if rng.random() < share else PLAIN
        (sub / f"mod{i}.py").write_text(text.format(i=i) * 3)


def main() -> None:
    # libcst and black were byte-compiled by pip; an editable checkout (and a machine with
    # PYTHONDONTWRITEBYTECODE=1) compiles seq2func's source on every run: compile it, as
    # `pip install seq2func` does, so both sides are measured alike
    compileall.compile_dir(str(ROOT / "seq2func"), quiet=1)
    sample = ROOT / "samples" / "seed_sequential.py"
    base, ours = paired(
        [sys.executable, "-c", "import libcst, black"], [str(BIN / "seq2func"), "convert", str(sample)], 20
    )
    print(f"import libcst, black        {base * 1000:7.0f} ms")
    print(f"seq2func convert (1 sample) {ours * 1000:7.0f} ms   ratio {ours / base:.2f}x (target <= 1.0x)")

    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp, "tree")
        make_tree(tree)
        cache = Path(tmp, "black-cache")
        env = {**os.environ, "BLACK_CACHE_DIR": str(cache)}
        black = timed(
            [str(BIN / "black"), "--check", "-q", str(tree)],
            3,
            env=env,
            setup=lambda: shutil.rmtree(cache, ignore_errors=True),
        )
        ours_tree = timed([str(BIN / "seq2func"), "convert", "--check", "-q", str(tree)], 3)
        print(f"black --check (2,000 files) {black * 1000:7.0f} ms")
        print(
            f"seq2func convert --check    {ours_tree * 1000:7.0f} ms   ratio {ours_tree / black:.2f}x (target <= 0.5x)"
        )


if __name__ == "__main__":
    main()
