"""How conversion time grows with the number of models in one file (run by hand):

    .venv/bin/python bench/bench_scale.py [MODELS ...]

Each file repeats a block (a helper function and a two-layer model); the time per model
should stay flat when the cost grows linearly.
"""

from __future__ import annotations

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


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [250, 500, 1000, 2000]
    print(f"{'models':>7} {'lines':>7} {'KB':>6} {'seconds':>8} {'ms/model':>9}")
    for count in counts:
        source = "import keras\n" + "".join(BLOCK.format(n=n, units=n % 7 + 2) for n in range(count))
        started = time.perf_counter()
        result = convert_source(source)
        seconds = time.perf_counter() - started
        assert len(result.conversions) == count
        lines = source.count("\n")
        print(
            f"{count:>7} {lines:>7} {len(source) // 1024:>6} {seconds:>8.2f} {1000 * seconds / count:>9.2f}"
        )


if __name__ == "__main__":
    main()
