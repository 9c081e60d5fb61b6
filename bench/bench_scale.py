"""How conversion time and memory grow with the number of models in one file (run by hand):

    .venv/bin/python bench/bench_scale.py [MODELS ...]

Each file repeats a block (a helper function and a two-layer model); the time per model
should stay flat when the cost grows linearly, and so should the memory per line (a file
past 2,000 lines is converted in windows: see `seq2func.drivers.windowed`). Each count runs in a
process of its own, so that its peak memory is its own; 85,000 models make a 20 MB file.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

from seq2func import convert_source

BLOCK = """
def helper_{n}(a, b):
    total = 0
    for k in range(a):
        total += k * b
    return total


model_{n} = keras.Sequential()
model_{n}.add(keras.layers.Dense({units}, input_shape=(4,)))
model_{n}.add(keras.layers.Dense(3, activation="relu"))
"""


def measure(count: int) -> dict[str, float]:
    """Convert a file of `count` models in this process: its size, time and peak memory."""
    convert_source("import keras\n" + BLOCK.format(n=0, units=2))  # what any run holds: the imports
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    source = "import keras\n" + "".join(BLOCK.format(n=n, units=n % 7 + 2) for n in range(count))
    started = time.perf_counter()
    result = convert_source(source)
    seconds = time.perf_counter() - started
    assert len(result.conversions) == count
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"lines": source.count("\n"), "bytes": len(source), "seconds": seconds, "peak": peak, "base": base}


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    counts = [int(a) for a in sys.argv[1:]] or [1000, 4000, 20000]
    print(
        f"{'models':>7} {'lines':>8} {'MB':>6} {'seconds':>8} {'ms/model':>9} {'peak MB':>8} {'KB/line':>8}"
    )
    for count in counts:
        run = subprocess.run(
            [sys.executable, __file__, "--one", str(count)], capture_output=True, text=True, check=True
        )
        m = json.loads(run.stdout)
        print(
            f"{count:>7} {m['lines']:>8.0f} {m['bytes'] / 2**20:>6.1f} {m['seconds']:>8.1f} "
            f"{1000 * m['seconds'] / count:>9.2f} {m['peak'] / 2**20:>8.0f} {m['peak'] / 1024 / m['lines']:>8.2f} "
            f"{(m['peak'] - m['base']) / 1024 / m['lines']:>12.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
