"""`seq2func convert --infer-shapes`, in the verifier's child process: run each model's slice
of the user's program (`slicing`: what makes the model and what feeds it data, nothing else)
with the verifier's stand-ins (`standins`: nothing trains, nothing downloads, data through the
real loaders), and record the input shape each Sequential is given, keyed by the line of the
`Sequential(...)` call that made it.

Every `Sequential(...)` call of the program is caught where it is made, as a verification
catches a conversion's; a model is given its shape by being built (its adds, `build()`), by
the data fed to it (the first rows of what `fit`, `evaluate`, `predict` get), or by a call on
a tensor. A model fed data of different shapes is said to be, and gets none.

The static converter then reads the shapes (`Options.inferred_shapes`). This module runs only
in the child, which imports TensorFlow; the parent reads its JSON answer.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from seq2func.types import InferredShapes
from seq2func.verify.facts import dims
from seq2func.verify.running import execute, with_ipython
from seq2func.verify.slicing import Probe, instrument, plan
from seq2func.verify.standins import Recorder, built, install, limit_memory, quiet_tensorflow


def sequential_calls(tree: ast.Module, source: str) -> list[tuple[int, int]]:
    """Where the program calls something named `Sequential` (line, 1-based character column):
    which of them are Keras's, running tells."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            if name == "Sequential":
                text = lines[node.lineno - 1].encode()[: node.col_offset].decode(errors="replace")
                found.append((node.lineno, len(text) + 1))
    return sorted(found)


def infer(request: dict[str, Any]) -> InferredShapes:
    quiet_tensorflow()
    filename = os.path.abspath(request["path"])
    os.chdir(os.path.dirname(filename))  # the program reads its files where it lives
    sys.path.insert(0, os.path.dirname(filename))
    import keras

    recorder = install(keras, Recorder({filename}), legacy="tensorflow.python.keras" in request["source"])
    notes: list[str] = []
    source, shell = with_ipython(
        request["source"], {int(k): v for k, v in request.get("ipython", {}).items()}, notes, "program"
    )
    tree = ast.parse(source, filename)
    calls = sequential_calls(tree, source)
    instrument(tree, source, [Probe(k, "call", line, column) for k, (line, column) in enumerate(calls)])
    sliced = plan(tree, range(len(calls)))
    run = execute(sliced, filename, "program", notes, shell)
    # where the run stopped short of giving models data: a statement that failed (not a
    # model refusing data of another shape: that model is said to have been given several)
    failed = [
        (sliced.steps[i].kind == "feed", i, o) for i, o in run.ended.items() if o.ended.startswith("raised")
    ]
    stopped = next(
        (
            f"it raised {o.ended.removeprefix('raised ')} at line {o.line}: {o.detail[:200]}"
            for _, _, o in sorted(failed)
        ),
        None,
    )
    shapes, created, conflicting = [], set(), set()
    for k, (line, _) in enumerate(calls):
        model = run.caught.get(k)
        if model is None or not isinstance(model, keras.Sequential):
            continue
        created.add(line)
        fed = recorder.fed.get(id(model), set())
        if len(fed) > 1:
            conflicting.add(line)
        elif fed:
            shapes.append((line, next(iter(fed))))
        elif built(model) and len(model.inputs) == 1:
            shapes.append((line, tuple(dims(model.inputs[0].shape))[1:]))
    return InferredShapes(tuple(shapes), frozenset(created), frozenset(conflicting), stopped)


def main(argv: list[str]) -> int:
    request = json.loads(Path(argv[1]).read_text())
    limit_memory(request.get("memory_mb"))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = infer(request)
    except ImportError as error:
        result = InferredShapes(error=f"import failed: {error}")
    except SyntaxError as error:
        result = InferredShapes(error=f"the program does not parse: {error.msg} (line {error.lineno})")
    Path(argv[2]).write_text(json.dumps(result.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
