"""Start-up with `core.records` against plain `dataclasses.dataclass`: is the hand-written
record worth it? Runs `seq2func convert` on a small file in fresh processes, alternating a
copy of the package whose `record` is `dataclass` and the package as it is, and prints the
median wall time of each beside `import libcst, black` (the target: near that cost).

    .venv/bin/python bench/bench_records.py [RUNS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "samples" / "mnist_cnn.py"
PLAIN = '''
import dataclasses


def record(cls=None, /, *, frozen=False):
    if cls is None:
        return lambda c: dataclasses.dataclass(c, frozen=frozen)
    return dataclasses.dataclass(cls, frozen=frozen)
'''


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp)
        shutil.copytree(ROOT / "seq2func", plain / "seq2func", ignore=shutil.ignore_patterns("__pycache__"))
        records = plain / "seq2func" / "core" / "records.py"
        records.write_text(records.read_text() + PLAIN)
        convert = [sys.executable, "-m", "seq2func", "convert", str(SMALL)]
        baseline = [sys.executable, "-c", "import libcst, black"]
        for where in (plain, ROOT):  # compile the bytecode once, as an installed package has it
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(where / "seq2func")], check=True)
        times: dict[str, list[float]] = {"records": [], "dataclass": [], "import libcst, black": []}
        for _ in range(runs):
            times["records"].append(timed(convert, ROOT))
            times["dataclass"].append(timed(convert, plain))
            times["import libcst, black"].append(timed(baseline, ROOT))
    for name, found in times.items():
        print(f"{name:22} median {statistics.median(found) * 1000:6.0f} ms  min {min(found) * 1000:6.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
