"""`seq2func convert --infer-shapes`, in the verifier's child process: run the user's program
with Keras's training and prediction entry points intercepted, and record the input shape each
Sequential is given, keyed by the line of the `Sequential(...)` call that made it.

- `fit`, `evaluate`, `train_on_batch`, `test_on_batch` record the shape and dtype of their
  data and return at once (nothing is trained); `predict` runs on a few samples only.
- `Sequential.build` records the shape a model is built with (`model(x)`, `build()`).
- `keras.datasets` loaders return zeros of their documented shapes (no download).

The static converter then reads the shapes (`Options.inferred_shapes`). This module runs only
in the child, which imports TensorFlow; the parent reads its JSON answer.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import sys
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Any

from seq2func.types import InferredShapes, SampleShape
from seq2func.verify.standins import limit_memory, offline_datasets, quiet_tensorflow

TRAINING = ("fit", "evaluate", "train_on_batch", "test_on_batch", "fit_generator", "evaluate_generator")
PREDICTING = ("predict", "predict_on_batch", "predict_generator")


class Recorder:
    """The shapes each Sequential was given, by the line that created it."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[int, int] = {}  # id(model) -> creation line
        self.models: list[Any] = []  # kept alive, so ids stay unique
        self.shapes: dict[int, set[tuple[SampleShape, str]]] = defaultdict(set)
        self.unreadable: set[int] = set()  # lines whose data could not be sized

    def created(self, model: Any) -> None:
        for frame in inspect.stack(0)[1:]:
            if os.path.abspath(frame.filename) == self.filename:
                self.lines[id(model)] = frame.lineno
                self.models.append(model)
                return

    def given(self, model: Any, data: Any) -> None:
        line = self.lines.get(id(model))
        if line is None:
            return
        found = _data_shape(data)
        if found is None:
            self.unreadable.add(line)
        else:
            self.shapes[line].add(found)

    def built(self, model: Any, input_shape: Any) -> None:
        line = self.lines.get(id(model))
        if line is None or input_shape is None:
            return
        try:
            dims = tuple(None if d is None else int(d) for d in input_shape)
        except TypeError:  # several inputs: not one shape
            self.unreadable.add(line)
            return
        self.shapes[line].add((dims[1:], "float32"))


def _data_shape(data: Any) -> tuple[SampleShape, str] | None:
    """Per-sample shape and dtype of an array, tensor or batched tf.data.Dataset of (x, y)."""
    spec = getattr(data, "element_spec", None)
    if spec is not None:  # a tf.data.Dataset: its features, with the batch dimension first
        features = spec[0] if isinstance(spec, tuple) else spec
        shape = getattr(features, "shape", None)
        if shape is None or shape.rank is None or shape.rank < 2:
            return None
        return tuple(shape.as_list()[1:]), features.dtype.name
    shape = getattr(data, "shape", None)
    dtype = getattr(data, "dtype", None)
    if shape is None or len(shape) < 2:
        return None
    name = getattr(dtype, "name", str(dtype))
    return tuple(int(d) if d is not None else None for d in shape[1:]), name


def _patch(keras: Any, recorder: Recorder) -> None:

    sequential_init = keras.Sequential.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        sequential_init(self, *args, **kwargs)
        recorder.created(self)

    keras.Sequential.__init__ = init
    sequential_build = keras.Sequential.build

    def build(self: Any, input_shape: Any = None) -> Any:
        recorder.built(self, input_shape)
        return sequential_build(self, input_shape)

    keras.Sequential.build = build

    def training(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            recorder.given(self, args[0] if args else kwargs.get("x"))
            if name.startswith("fit"):
                history = keras.callbacks.History()
                history.history = defaultdict(list)
                return history
            return 0.0

        return method

    def predicting(original: Any) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            data: Any = args[0] if args else kwargs.get("x")
            recorder.given(self, data)
            dataset = hasattr(data, "element_spec")  # numpy arrays have a take() too
            few = data.take(1) if dataset else data[:4] if hasattr(data, "__getitem__") else data
            return original(self, few, verbose=0) if original.__name__ == "predict" else original(self, few)

        return method

    for name in TRAINING:
        if hasattr(keras.Model, name):
            setattr(keras.Model, name, training(name))
    for name in PREDICTING:
        if hasattr(keras.Model, name):
            setattr(keras.Model, name, predicting(getattr(keras.Model, name)))

    offline_datasets(keras)


def infer(request: dict[str, Any]) -> InferredShapes:
    quiet_tensorflow()
    import keras

    filename = os.path.abspath(request["path"])
    os.chdir(os.path.dirname(filename))  # the program reads its files where it lives
    sys.path.insert(0, os.path.dirname(filename))
    recorder = Recorder(filename)
    _patch(keras, recorder)
    namespace = {"__name__": "__main__", "__file__": filename}
    stopped = None
    try:
        code = compile(request["source"], filename, "exec")
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            exec(code, namespace)
    except SystemExit:
        pass
    except BaseException as error:  # the program's own failure: say where it stopped
        lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
        where = f" at line {lines[-1]}" if lines else ""
        stopped = f"it raised {type(error).__name__}{where}: {str(error)[:200]}"
    shapes, conflicting = [], []
    for line, found in sorted(recorder.shapes.items()):
        if len({shape for shape, _ in found}) == 1 and line not in recorder.unreadable:
            shapes.append((line, next(iter(found))[0]))
        else:
            conflicting.append(line)
    return InferredShapes(tuple(shapes), frozenset(recorder.lines.values()), frozenset(conflicting), stopped)


def main(argv: list[str]) -> int:
    request = json.loads(Path(argv[1]).read_text())
    limit_memory(request.get("memory_mb"))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = infer(request)
    except ImportError as error:
        result = InferredShapes(error=f"import failed: {error}")
    Path(argv[2]).write_text(json.dumps(result.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
