"""An independent equivalence check, sharing no code with seq2func's verifier.

Runs as its own process: `python tests/differential.py PAIRS.json RESULTS.json`, where
PAIRS.json is a list of {"original": source, "converted": source, "integer_input": bool}.
Each program is executed whole; its `final` model is compared: parameter count, then
outputs on one random batch after the converted model gets the original's weights by
order. The result per pair is "same", or the difference in words.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _run(source: str) -> dict[str, Any]:
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(1)
    namespace: dict[str, Any] = {"__name__": "program"}
    exec(compile(source, "<program>", "exec"), namespace)
    return namespace


def compare(original: str, converted: str, integer_input: bool) -> str:
    import numpy as np

    before, after = _run(original), _run(converted)
    for name in ("observed", "observed_global"):  # what the program does around its model
        if before.get(name) != after.get(name):
            return f"{name} {before.get(name)!r} / {after.get(name)!r}"
    a, b = before["final"], after["final"]
    if a.count_params() != b.count_params():
        return f"parameters {a.count_params()} / {b.count_params()}"
    weights = a.get_weights()
    if [w.shape for w in weights] != [w.shape for w in b.get_weights()]:
        return "weight shapes differ"
    b.set_weights(weights)
    rng = np.random.default_rng(0)
    shape = (3, *a.inputs[0].shape[1:])
    batch = rng.integers(0, 10, size=shape) if integer_input else rng.standard_normal(shape).astype("float32")
    out_a, out_b = np.asarray(a(batch, training=False)), np.asarray(b(batch, training=False))
    if out_a.shape != out_b.shape:
        return f"output shapes {out_a.shape} / {out_b.shape}"
    if not np.allclose(out_a, out_b, rtol=1e-5, atol=1e-6):
        return f"outputs differ by {float(np.max(np.abs(out_a - out_b))):.3g}"
    return "same"


def main(argv: list[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with open(argv[1]) as f:
        pairs = json.load(f)
    results = []
    for pair in pairs:
        try:
            results.append(compare(pair["original"], pair["converted"], pair.get("integer_input", False)))
        except Exception as error:  # a program that does not run is a finding too
            results.append(f"error: {type(error).__name__}: {error}")
    with open(argv[2], "w") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
