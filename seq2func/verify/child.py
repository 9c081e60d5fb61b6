"""Runs in the verifier's child process: executes both programs, builds, compares.

Usage: python -m seq2func.verify.child REQUEST.json RESULT.json
This is the only module of seq2func that imports TensorFlow/Keras.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import os
import re
import resource
import sys
import tempfile
import traceback
import types
from collections import defaultdict
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from seq2func.keras_facts import DATASETS, FEED_METHODS, TFDS_SUPERVISED
from seq2func.types import Hint, VerifyMode
from seq2func.verify.observe import Outcome, ProgramRun, describe, differences, watched_names
from seq2func.verify.program import optional_import, plan_program, skippable
from seq2func.verify.verdict import (
    Comparison,
    GraphNode,
    Graphs,
    LayerGraph,
    LayerRow,
    ModelFacts,
    ModelVerdict,
    Sides,
    TensorSpec,
    Verdict,
)

RTOL, ATOL = 1e-5, 1e-6
BATCH = 2
UNKNOWN_DIM = 8  # stands for None in an input shape


class VerifyFailure(Exception):
    """Something could not be built or run; the verdict is 'could not verify'."""

    def __init__(self, message: str, where: str | None = None, hints: tuple[Hint, ...] = ()) -> None:
        super().__init__(message)
        self.message, self.where, self.hints = message, where, hints


def quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def run_program(
    source: str, filename: str, label: str, entry: str | None, notes: list[str], *, stop: bool = True
) -> ProgramRun:
    """Execute a program's top-level statements that build its models, and the calls that
    feed them data (training stood in for: `feed_only`); note how each statement ended.
    A statement that fails and that the models need raises VerifyFailure, or with
    stop=False ends the run there (the comparison then says which)."""
    import keras

    keras.backend.clear_session()  # same auto-generated layer names in both programs
    keras.utils.set_random_seed(0)
    namespace: dict[str, Any] = {"__name__": f"__seq2func_{label}__", "__file__": filename}
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        raise VerifyFailure(f"{label} does not parse: {error.msg}", f"{filename}:{error.lineno}") from None
    steps = plan_program(tree)
    ran = ProgramRun(namespace=namespace, watched=watched_names(tree))
    for index, step in enumerate(steps):
        text = ast.unparse(step.node)
        if step.kind == "use":
            ran.outcomes.append(Outcome(step.node.lineno, text, "not run"))
            continue
        code = compile(ast.Module([step.node], []), filename, "exec")
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                exec(code, namespace)
        except SystemExit as exit_:
            raise VerifyFailure(
                f"{label} called sys.exit({exit_.code!r}) while building its models",
                f"{filename}:{step.node.lineno}",
            ) from None
        except MemoryError:
            raise VerifyFailure(f"{label} ran out of memory (change the limit with --memory-limit)") from None
        except Exception as error:
            said = " ".join(str(error).split())
            ran.outcomes.append(Outcome(step.node.lineno, text, f"raised {type(error).__name__}", said[:200]))
            if (
                step.kind == "feed"
                or skippable(steps, index)
                or (isinstance(error, ImportError) and optional_import(steps, index))
            ):
                notes.append(
                    f"{label}: skipped line {step.node.lineno}, which raised {type(error).__name__} "
                    "and defines nothing the models need"
                )
                # what it was to assign is left unbound, never stale: data fed to a model
                # later must be what the program computes, or nothing (the model is unproven)
                for name in step.assigns:
                    namespace.pop(name, None)
                continue
            if not stop:
                return ran
            raise VerifyFailure(
                f"{label} raised {type(error).__name__}: {error}",
                _user_frame(error, filename),
                ("python",) if isinstance(error, ImportError) else (),
            ) from None
        ran.outcomes.append(Outcome(step.node.lineno, text, "ran"))
    if entry:
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                namespace["__seq2func_entry__"] = eval(entry, namespace)
        except Exception as error:
            raise VerifyFailure(
                f"--entry {entry!r} raised {type(error).__name__} in {label}: {error}",
                _user_frame(error, filename),
            ) from None
    return ran


# the real splits' sizes (train, test) of the keras.datasets the children stand in for
_EXAMPLES = {
    "mnist": (60000, 10000),
    "fashion_mnist": (60000, 10000),
    "cifar10": (10000, 2000),  # a fifth: 50,000 float64 images outgrow the memory limit
    "cifar100": (10000, 2000),
    "boston_housing": (404, 102),
    "california_housing": (16512, 4128),
    "imdb": (25000, 25000),
    "reuters": (8982, 2246),
}


def offline_datasets(keras: Any) -> None:
    """`keras.datasets` loaders return zeros of their documented shapes (no download); a
    directory of images is zeros of the declared image size, one of texts a few short
    strings (no file read); `get_file` gives an empty folder (no download)."""
    import numpy as np

    def loader(dataset: str, shape: tuple[int | None, ...]) -> Any:
        def load_data(*args: Any, **kwargs: Any) -> Any:
            # as many examples as the real split (code reshapes by the count: reshape(60000, 784));
            # zeros of the real dtype cost no memory until the program touches them
            dtype = "uint8" if len(shape) > 2 else "float64"
            return tuple(
                (np.zeros((n, *(d or 1 for d in shape[1:])), dtype=dtype), np.zeros((n,), dtype="uint8"))
                for n in _EXAMPLES[dataset]
            )

        return load_data

    def sequences(dataset: str) -> Any:
        def load_data(*args: Any, num_words: int | None = None, **kwargs: Any) -> Any:
            """Lists of word indices, as imdb and reuters give them (ragged)."""
            top = max(2, min(num_words or 1000, 1000))
            rows = [list(range(1, 2 + i % 40)) for i in range(max(_EXAMPLES[dataset]))]
            return tuple(
                (
                    np.array([[w % top for w in r] for r in rows[:n]], dtype=object),
                    np.zeros((n,), dtype="int64"),
                )
                for n in _EXAMPLES[dataset]
            )

        return load_data

    for dataset in _EXAMPLES:
        module = getattr(keras.datasets, dataset, None)
        if module is not None:
            module.load_data = (
                loader(dataset, DATASETS[dataset]) if dataset in DATASETS else sequences(dataset)
            )

    def image_dataset_from_directory(
        directory: Any, *args: Any, image_size: Any = (256, 256), color_mode: str = "rgb", **kwargs: Any
    ) -> Any:
        """Zeros of the declared image size, two batches of two, no file read."""
        import tensorflow as tf

        channels = {"rgb": 3, "grayscale": 1, "rgba": 4}[color_mode]
        images = np.zeros((4, *image_size, channels), dtype="float32")
        data = tf.data.Dataset.from_tensor_slices((images, np.zeros((4,), dtype="int32"))).batch(2)
        data.class_names = ["a", "b"]
        data.file_paths = []
        return data

    def text_dataset_from_directory(
        directory: Any, *args: Any, label_mode: Any = "int", batch_size: Any = 32, **kwargs: Any
    ) -> Any:
        """Two batches of two short texts, no file read."""
        import tensorflow as tf

        texts = np.array(["a b", "c", "a", "b c d"])
        parts = texts if label_mode is None else (texts, np.zeros((4,), dtype="int32"))
        data = tf.data.Dataset.from_tensor_slices(parts)
        data = data if batch_size is None else data.batch(2)
        data.class_names = ["a", "b"]
        data.file_paths = []
        return data

    for name, made in (
        ("image_dataset_from_directory", image_dataset_from_directory),
        ("text_dataset_from_directory", text_dataset_from_directory),
    ):
        setattr(keras.utils, name, made)
        if hasattr(keras, "preprocessing"):
            setattr(keras.preprocessing, name, made)

    def get_file(fname: Any = None, origin: Any = None, *args: Any, **kwargs: Any) -> str:
        """An empty folder where the download would be (no network): a folder of images or
        texts read from it is stood in for above; a file read from it fails, as offline."""
        name = str(fname or Path(str(origin or "download")).name).removesuffix(".tgz").removesuffix(".tar")
        folder = Path(tempfile.mkdtemp(prefix="seq2func-download-")) / (name or "download")
        folder.mkdir()
        return str(folder)

    keras.utils.get_file = get_file
    offline_tfds()
    offline_sklearn()


def offline_sklearn() -> None:
    """scikit-learn's downloaded datasets (`fetch_california_housing`) give zeros of their
    documented shapes, when scikit-learn is installed (its bundled ones need no stand-in)."""
    if importlib.util.find_spec("sklearn") is None:
        return
    import numpy as np

    datasets = importlib.import_module("sklearn.datasets")
    bunch = importlib.import_module("sklearn.utils").Bunch

    def fetch_california_housing(*args: Any, return_X_y: bool = False, **kwargs: Any) -> Any:
        data, target = np.zeros((20640, 8)), np.zeros((20640,))
        return (data, target) if return_X_y else bunch(data=data, target=target, feature_names=[""] * 8)

    datasets.fetch_california_housing = fetch_california_housing  # type: ignore[attr-defined]


def offline_tfds() -> None:
    """`tensorflow_datasets.load` of a catalogue entry seq2func knows gives four examples of
    zeros of its shape (no download); where the package is not installed, a module that has
    only that stands in for it."""
    import numpy as np

    class Info:
        """What programs read of a dataset's info: sizes of splits, numbers of classes."""

        def __init__(self) -> None:
            self.splits: defaultdict[str, Any] = defaultdict(lambda: types.SimpleNamespace(num_examples=4))
            self.features: defaultdict[str, Any] = defaultdict(
                lambda: types.SimpleNamespace(num_classes=2, names=["a", "b"])
            )

    def load(
        name: str,
        *args: Any,
        split: Any = None,
        as_supervised: bool = False,
        with_info: bool = False,
        batch_size: Any = None,
        **kwargs: Any,
    ) -> Any:
        import tensorflow as tf

        entry = TFDS_SUPERVISED.get(str(name).partition(":")[0])
        if entry is None or not as_supervised or split is None:
            raise RuntimeError(f"seq2func cannot stand in for tensorflow_datasets.load({name!r}) offline")
        shape, dtype = entry
        if dtype == "string":
            features: Any = np.array(["a b", "c", "a", "b c d"])
        else:
            features = np.zeros((4, *(d or 8 for d in shape)), dtype=dtype)

        def one() -> Any:
            data = tf.data.Dataset.from_tensor_slices((features, np.zeros((4,), dtype="int64")))
            return data if batch_size is None else data.batch(4 if batch_size == -1 else batch_size)

        made = tuple(one() for _ in split) if isinstance(split, list | tuple) else one()
        return (made, Info()) if with_info else made

    if importlib.util.find_spec("tensorflow_datasets") is None:
        module = types.ModuleType("tensorflow_datasets")
        module.as_numpy = lambda data: data.as_numpy_iterator()  # type: ignore[attr-defined]
        sys.modules["tensorflow_datasets"] = module
    else:  # the project's own copy: never a dependency of seq2func
        module = importlib.import_module("tensorflow_datasets")
    module.load = load  # type: ignore[attr-defined]


def remember_input_length(keras: Any) -> None:
    """Keep `Embedding(input_length=n)`, which Keras 3 drops: it is how Keras 2 code declares
    a model's input, and the original is built with it (`declared_input`)."""
    init = keras.layers.Embedding.__init__

    def remembering(self: Any, *args: Any, **kwargs: Any) -> None:
        length = kwargs.get("input_length")
        init(self, *args, **kwargs)
        self._seq2func_input_length = length

    keras.layers.Embedding.__init__ = remembering


def declared_input(model: Any) -> tuple[int | None, ...] | None:
    """The input an unbuilt Sequential declares in Keras 2's way: its first layer an Embedding
    given input_length."""
    layers = getattr(model, "layers", [])
    length = getattr(layers[0], "_seq2func_input_length", None) if layers else None
    return (None, int(length)) if isinstance(length, int) else None


def record_calls(keras: Any) -> dict[int, set[str]]:
    """The dtypes of the tensors each Sequential is called on, by id(model)."""
    found: dict[int, set[str]] = defaultdict(set)
    call = keras.Sequential.__call__

    def recording(self: Any, *args: Any, **kwargs: Any) -> Any:
        first = args[0] if args else kwargs.get("inputs")
        dtype = getattr(first, "dtype", None)
        if dtype is not None:
            found[id(self)].add(keras.backend.standardize_dtype(dtype))
        return call(self, *args, **kwargs)

    keras.Sequential.__call__ = recording
    return found


def feed_only(keras: Any) -> None:
    """`fit`, `evaluate`, `predict` and the like run the model on two samples of their data
    instead of training or predicting on all of it: an unbuilt model is built from the
    program's own data, and a model whose input the data does not fit raises, as it would."""
    import numpy as np

    def few(data: Any) -> Any:
        if data is None:
            return None
        if hasattr(data, "element_spec"):  # a tf.data.Dataset of (x, y) batches
            for batch in data.take(1):
                return few(batch[0] if isinstance(batch, tuple) else batch)
            return None
        if isinstance(data, list | tuple):
            return [few(d) for d in data]
        if isinstance(data, dict):
            return {k: few(v) for k, v in data.items()}
        if hasattr(data, "shape") and hasattr(data, "__getitem__"):
            return data[:BATCH]
        if isinstance(data, keras.utils.PyDataset) and len(data):  # ImageDataGenerator().flow(...)
            batch = data[0]
            return few(batch[0] if isinstance(batch, tuple) else batch)
        return None  # a generator: not read

    def stand_in(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            x = few(args[0] if args else kwargs.get("x"))
            if not built(self) and hasattr(x, "shape"):  # as Keras's fit does: any batch size
                self.build((None, *x.shape[1:]))
            out = None if x is None else self(x, training=False)
            if name == "fit":
                history = keras.callbacks.History()
                history.history = defaultdict(list)
                return history
            if name.startswith("predict"):
                return None if out is None else np.asarray(out)
            return 0.0

        return method

    for name in FEED_METHODS:
        setattr(keras.Model, name, stand_in(name))


def _user_frame(error: BaseException, filename: str) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return f"{filename}:{frames[-1].lineno}" if frames else filename


def keras_models(namespace: dict[str, Any]) -> dict[str, Any]:
    import keras

    return {
        name: value
        for name, value in namespace.items()
        if (isinstance(value, keras.Model) and not name.startswith("_"))
        or (name == "__seq2func_entry__" and isinstance(value, keras.Model))
    }


# -- facts about one model ---------------------------------------------------


def unique_variables(variables: list[Any]) -> list[Any]:
    seen: set[int] = set()
    out = []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def count(variables: list[Any]) -> int:
    import numpy as np

    return int(sum(np.prod(v.shape) for v in unique_variables(variables)))


def all_layers(model: Any) -> list[Any]:
    """Every layer object once, nested models opened up, in order."""
    import keras

    found: list[Any] = []
    seen: set[int] = set()

    def visit(layer: Any) -> None:
        for sub in getattr(layer, "layers", []):
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            if isinstance(sub, keras.Model):
                visit(sub)
            elif not isinstance(sub, keras.layers.InputLayer):
                found.append(sub)

    visit(model)
    return found


def _shape(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def facts(model: Any) -> ModelFacts:
    return ModelFacts(
        params=count(model.weights),
        trainable=count(model.trainable_weights),
        non_trainable=count(model.non_trainable_weights),
        weight_shapes=[_shape(v.shape) for v in unique_variables(model.weights)],
        inputs=[TensorSpec(_shape(t.shape), str(t.dtype)) for t in model.inputs],
        outputs=[TensorSpec(_shape(t.shape), str(t.dtype)) for t in model.outputs],
    )


def summary_rows(model: Any) -> list[LayerRow]:
    rows = []
    for layer in model.layers:
        import keras

        if isinstance(layer, keras.layers.InputLayer):
            continue
        rows.append(
            LayerRow(layer.name, type(layer).__name__, output_shapes(layer) or "?", count(layer.weights))
        )
    return rows


def output_shapes(layer: Any) -> str:
    """What a layer gives, as Keras prints shapes: `(None, 16, 16, 64)`; a layer called on
    tensors of different shapes says so; "" when Keras knows none."""
    seen: list[tuple[tuple[int | None, ...], ...]] = []
    for node in getattr(layer, "_inbound_nodes", None) or []:
        try:
            shapes = tuple(tuple(_shape(t.shape)) for t in node.outputs)
        except Exception:  # an output without a static shape
            continue
        if shapes and shapes not in seen:
            seen.append(shapes)
    if len(seen) > 1:
        return "shapes vary by call"
    return ", ".join(str(shape) for shape in seen[0]) if seen else ""


# -- the layer graph, for --plot -----------------------------------------------------


class _GraphBuilder:
    """Nodes are layer objects (a shared layer once); a nested model is opened up, drawn as a
    group, and each call of it becomes edges into its first layers and out of its last."""

    def __init__(self) -> None:
        self.nodes: list[GraphNode] = []
        self.layers: list[Any] = []
        self.index: dict[int, int] = {}
        self.edges: dict[tuple[int, int], int] = {}
        self.opened: dict[int, tuple[list[int], list[int]]] = {}

    def node(self, layer: Any, group: str | None, is_input: bool = False) -> int:
        if id(layer) not in self.index:
            self.index[id(layer)] = len(self.nodes)
            self.nodes.append(
                GraphNode(
                    layer.name,
                    type(layer).__name__,
                    count(layer.weights),
                    group,
                    False,
                    is_input,
                    output_shapes(layer),
                )
            )
            self.layers.append(layer)
        return self.index[id(layer)]

    def ends(self, op: Any, group: str | None) -> tuple[list[int], list[int]]:
        """The nodes a call of `op` enters and leaves by: itself, or a nested model's first and last layers."""
        import keras

        if isinstance(op, keras.Model) and _graph_of(op) is not None:
            if id(op) not in self.opened:
                self.opened[id(op)] = self.open(op, op.name)
            return self.opened[id(op)]
        n = self.node(op, group, isinstance(op, keras.layers.InputLayer))
        return [n], [n]

    def open(self, model: Any, group: str | None) -> tuple[list[int], list[int]]:
        import keras

        functional = _graph_of(model)
        entries: list[int] = []
        exits: list[int] = []
        for depth, nodes in sorted(functional._nodes_by_depth.items(), reverse=True):
            for node in nodes:
                op = node.operation
                if group is not None and isinstance(op, keras.layers.InputLayer):
                    continue  # a nested model's input is where its callers' edges arrive
                into, out = self.ends(op, group)
                if depth == 0:
                    exits += [n for n in out if n not in exits]
                for parent in node.parent_nodes:
                    if group is not None and isinstance(parent.operation, keras.layers.InputLayer):
                        entries += [n for n in into if n not in entries]
                        continue
                    for a in self.ends(parent.operation, group)[1]:
                        for b in into:
                            self.edges[(a, b)] = self.edges.get((a, b), 0) + 1
        return entries, exits

    def graph(self) -> LayerGraph:
        kinds: dict[Any, int] = {}
        for layer in self.layers:
            if layer.weights:
                kinds[_kind(layer)] = kinds.get(_kind(layer), 0) + 1
        nodes = [
            replace(node, duplicate=bool(layer.weights) and kinds[_kind(layer)] > 1)
            for node, layer in zip(self.nodes, self.layers, strict=True)
        ]
        return LayerGraph(nodes, [(a, b, n) for (a, b), n in self.edges.items()])


def _graph_of(model: Any) -> Any:
    """The functional graph of a model (a Sequential keeps one once built), or None."""
    functional = getattr(model, "_functional", None) or model
    return functional if getattr(functional, "_nodes_by_depth", None) else None


def layer_graph(model: Any) -> LayerGraph | None:
    if _graph_of(model) is None:
        return None
    builder = _GraphBuilder()
    builder.open(model, None)
    return builder.graph()


# -- comparing two models ------------------------------------------------------


def built(model: Any) -> bool:
    """Whether Keras gave the model its inputs (a Sequential never told its input shape has none)."""
    try:
        return bool(model.inputs)
    except (AttributeError, ValueError):
        return False


def ensure_built(original: Any, converted: Any, notes: list[str], name: str) -> None:
    """A converted model that Keras left unbuilt (a model of another model's layers, whose
    first layer's input_shape= moved to that model's Input) is built with the original's
    input, and the note says so. Never the other way: a shape the conversion chose is what
    is being proven (the caller calls an unbuilt original unproven)."""
    if built(converted) or not built(original):
        return
    if len(original.inputs) != 1:
        raise VerifyFailure(
            f"{name}: the converted model is not built and the original one has several inputs"
        )
    shape = tuple(_shape(original.inputs[0].shape))
    converted.build(shape)
    notes.append(
        f"{name}: the converted model was not built by Keras; built it with the original's input shape {shape}"
    )


def unproven(name: str, converted: Any) -> ModelVerdict:
    """The original program never builds the model nor feeds it data: the input shape the
    conversion gave it cannot be checked against anything."""
    fc = facts(converted)
    reason = (
        f"the original program never builds {name} nor feeds it data, so the input "
        f"{_tensors(fc.inputs)} the conversion gives it is unproven; build it in the original "
        "(model.build(...), or call fit or predict on data) to prove it"
    )
    return ModelVerdict(
        name=name,
        mode="equivalence",
        verdict="unproven",
        original=ModelFacts(0, 0, 0, [], [], []),
        converted=fc,
        comparisons=[],
        reasons=[reason],
        notes=[],
        rows=Sides([], summary_rows(converted)),
    )


def sample_inputs(model: Any) -> list[Any]:
    import keras
    import numpy as np

    rng = np.random.RandomState(0)
    batch = []
    for tensor in model.inputs:
        shape = [BATCH] + [UNKNOWN_DIM if d is None else int(d) for d in tensor.shape[1:]]
        dtype = str(tensor.dtype)
        vocab = _embedding_vocab(model, tensor, keras)
        if vocab is not None or "int" in dtype:
            high = vocab or 10
            batch.append(rng.randint(0, high, size=shape).astype("int32" if "int" in dtype else "float32"))
        else:
            batch.append(rng.standard_normal(shape).astype(dtype if "float" in dtype else "float32"))
    return batch


def _embedding_vocab(model: Any, tensor: Any, keras: Any) -> int | None:
    """Embedding layers anywhere in the model want integer ids below their vocabulary size."""
    sizes = [layer.input_dim for layer in all_layers(model) if isinstance(layer, keras.layers.Embedding)]
    return min(sizes) if sizes else None


def copy_weights(original: Any, converted: Any) -> str:
    """Give the converted model the original's weights: by order if shapes agree, else by layer name."""
    src = original.get_weights()
    dst_shapes = [w.shape for w in converted.get_weights()]
    if [w.shape for w in src] == dst_shapes:
        converted.set_weights(src)
        return "by order"
    by_name = {layer.name: layer for layer in all_layers(original)}
    copied = 0
    for layer in all_layers(converted):
        twin = by_name.get(layer.name)
        if twin is not None and [w.shape for w in twin.get_weights()] == [
            w.shape for w in layer.get_weights()
        ]:
            layer.set_weights(twin.get_weights())
            copied += 1
    return f"by layer name ({copied} layers)"


def run(model: Any, batch: list[Any]) -> list[Any]:
    import numpy as np

    out = model(batch if len(batch) > 1 else batch[0], training=False)
    outs = out if isinstance(out, list | tuple) else [out]
    return [np.asarray(o) for o in outs]


def explain(original: Any, converted: Any, fo: ModelFacts, fc: ModelFacts) -> list[str]:
    """Reasons in words for the differences found."""
    reasons = []
    po, pc = fo.params, fc.params
    if po != pc:
        ratio = f", {pc / po:.2f}x the original's {po:,}" if po else f" against the original's {po:,}"
        reasons.append(f"converted has {pc:,} parameters{ratio}.")
        reasons += _duplication(original, converted)
    if po == pc:
        reasons += [
            f"{d} (original / converted)." for d in configuration_differences(original, converted)[:5]
        ]
    if fo.outputs != fc.outputs and [o.shape for o in fo.outputs] == [o.shape for o in fc.outputs]:
        reasons.append(
            f"the outputs are {_tensors(fo.outputs)} in the original, {_tensors(fc.outputs)} converted."
        )
    original_name = _explicit_model_name(original)
    if original_name is not None and original_name != converted.name:
        reasons.append(f"the model is named {original_name!r} in the original, {converted.name!r} converted.")
    return reasons


def _signature(layer: Any) -> tuple[str, tuple[tuple[int, ...], ...]]:
    return type(layer).__name__, tuple(tuple(w.shape) for w in layer.weights)


def _duplication(original: Any, converted: Any) -> list[str]:
    """Find a block shared by n inputs in the original that exists n times in the converted model."""
    import keras

    conv_counts: dict[Any, int] = {}
    for layer in all_layers(converted):
        conv_counts[_signature(layer)] = conv_counts.get(_signature(layer), 0) + 1
    reasons = []
    candidates = _sublayers(original)
    for block in candidates:
        calls = len(getattr(block, "_inbound_nodes", []))
        layers = all_layers(block) if isinstance(block, keras.Model) else [block]
        if calls < 2 or not layers:
            continue
        if all(conv_counts.get(_signature(layer), 0) >= calls for layer in layers if layer.weights):
            names = f"{layers[0].name}…{layers[-1].name}" if len(layers) > 1 else layers[0].name
            reasons.append(
                f"{names} ({len(layers)} layers) exist {calls} times in the converted model but once, "
                f"shared by {calls} inputs, in the original."
            )
    return reasons


def _sublayers(model: Any) -> list[Any]:
    return list(getattr(model, "layers", []))


def _tensors(specs: list[TensorSpec]) -> str:
    """`6 x (None, 16, 16, 3) float32` instead of six dictionaries."""
    words = [f"({', '.join('None' if d is None else str(d) for d in s.shape)}) {s.dtype}" for s in specs]
    if words and all(w == words[0] for w in words):
        return words[0] if len(words) == 1 else f"{len(words)} x {words[0]}"
    return ", ".join(words)


def _batch_opened(original: list[TensorSpec], converted: list[TensorSpec]) -> list[TensorSpec]:
    """`original` with its batch size left open where `converted` leaves it open."""
    if len(original) != len(converted):
        return original
    return [
        TensorSpec([None, *o.shape[1:]], o.dtype) if o.shape and c.shape and c.shape[0] is None else o
        for o, c in zip(original, converted, strict=True)
    ]


class Comparisons(list[Comparison]):
    # why the original itself could not run on a batch here (graph mode, say): its outputs
    # prove nothing either way, so the model is unproven rather than different
    unrunnable: str | None = None

    def add(self, label: str, ok: bool, detail: str = "") -> None:
        self.append(Comparison(label, bool(ok), detail))

    def shapes(self, fo: ModelFacts, fc: ModelFacts, called: frozenset[str] = frozenset()) -> None:
        """Inputs alike; a dtype Keras gave the original's input counts as the dtype of the
        tensors the original program called it on (`called`), when it did."""
        fed = [TensorSpec(t.shape, next(iter(called))) for t in fo.inputs] if len(called) == 1 else None
        # a Sequential first built by calling it on a batch keeps that batch size; the Input a
        # conversion writes leaves it open (as Keras's fit does): the same network
        opened = _batch_opened(fo.inputs, fc.inputs)
        inputs = [opened, *([_batch_opened(fed, fc.inputs)] if fed is not None else [])]
        same = fo.inputs == fc.inputs or fed == fc.inputs or fc.inputs in inputs
        detail = f"{_tensors(fo.inputs)} / {_tensors(fc.inputs)}"
        if fo.inputs != fc.inputs and same:
            notes = []
            if fed is not None and fed != fo.inputs and fc.inputs in (fed, _batch_opened(fed, fc.inputs)):
                notes.append(f"the original program calls it on {next(iter(called))} tensors")
            if fc.inputs in inputs and opened != fo.inputs:
                notes.append("a call on a batch first built the original and fixed its batch size")
            detail += f" ({'; '.join(notes)})"
        self.add("inputs", same, detail)
        outputs = fo.outputs == fc.outputs or _batch_opened(fo.outputs, fc.outputs) == fc.outputs
        self.add("outputs", outputs, f"{_tensors(fo.outputs)} / {_tensors(fc.outputs)}")

    @property
    def all_ok(self) -> bool:
        return all(c.ok for c in self)

    def outputs(self, original: Any, converted: Any, how: str) -> None:
        import numpy as np

        try:
            batch = sample_inputs(converted)
        except Exception as error:
            self.add("outputs agree", False, f"could not make a batch for the converted model: {error}")
            return
        try:
            out_o = run(original, batch)
        except Exception as error:
            self.unrunnable = f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
            return
        try:
            out_c = run(converted, batch)
            same_shapes = [o.shape for o in out_o] == [c.shape for c in out_c]
            largest = max(
                (
                    float(np.max(np.abs(o - c)))
                    for o, c in zip(out_o, out_c, strict=False)
                    if o.shape == c.shape
                ),
                default=0.0,
            )
            close = same_shapes and all(
                np.allclose(o, c, rtol=RTOL, atol=ATOL) for o, c in zip(out_o, out_c, strict=True)
            )
            self.add(
                "outputs agree",
                close,
                f"{how}; largest difference {largest:.3g} (rtol {RTOL:g}, atol {ATOL:g}, batch of {BATCH})",
            )
        except Exception as error:  # weights or call did not fit: a difference, said in words
            self.add(
                "outputs agree", False, f"could not run both on one batch: {type(error).__name__}: {error}"
            )


def _nested_models(model: Any) -> list[str]:
    import keras

    return [layer.name for layer in model.layers if isinstance(layer, keras.Model)]


def compare(name: str, original: Any, converted: Any, called: frozenset[str] = frozenset()) -> ModelVerdict:
    notes: list[str] = []
    ensure_built(original, converted, notes, name)
    fo, fc = facts(original), facts(converted)
    comparisons = Comparisons()
    comparisons.add(
        "parameters",
        (fo.params, fo.trainable, fo.non_trainable) == (fc.params, fc.trainable, fc.non_trainable),
        f"{fo.params:,} / {fc.params:,} (trainable {fo.trainable:,} / {fc.trainable:,})",
    )
    comparisons.add(
        "weights",
        fo.weight_shapes == fc.weight_shapes,
        f"{len(fo.weight_shapes)} / {len(fc.weight_shapes)} weight tensors",
    )
    comparisons.shapes(fo, fc, called)
    layer_differences = configuration_differences(original, converted)
    comparisons.add(
        "layers",
        not layer_differences,
        f"{len(all_layers(original))} / {len(all_layers(converted))} layers, same classes and configurations"
        if not layer_differences
        else "; ".join(layer_differences[:3])
        + (f" (+{len(layer_differences) - 3} more)" if len(layer_differences) > 3 else ""),
    )
    renamed = renamed_layers(original, converted)
    if renamed:
        notes.append(
            f"{name}: layers named differently (original / converted): {', '.join(renamed[:4])}"
            + (f" and {len(renamed) - 4} more" if len(renamed) > 4 else "")
        )
    original_name = _explicit_model_name(original)
    comparisons.add(
        "name",
        original_name is None or original_name == converted.name,
        f"{original.name!r} / {converted.name!r}" + ("" if original_name else " (Keras named the original)"),
    )
    try:
        how = f"weights copied {copy_weights(original, converted)}"
    except Exception as error:
        how = f"weights not copied ({type(error).__name__})"
    comparisons.outputs(original, converted, how)
    nested_o, nested_c = _nested_models(original), _nested_models(converted)
    if nested_o and not nested_c:
        notes.append(
            f"{name}: the original nests {', '.join(nested_o)}; the converted model lists "
            f"{len(all_layers(converted))} layers directly, each once"
        )
    reasons = [] if comparisons.all_ok else explain(original, converted, fo, fc)
    return _model_verdict(name, "equivalence", original, converted, comparisons, reasons, notes)


def _generated_name(name: str, cls: type) -> bool:
    """Whether Keras made this name up (`dense_3`), rather than the user passing name=."""
    try:
        from keras.src.utils.naming import to_snake_case
    except ImportError:  # pragma: no cover - older Keras
        return False
    base = re.sub(r"_\d+$", "", name)
    return base in {to_snake_case(cls.__name__), "functional", "sequential", "model"}


def _explicit_model_name(model: Any) -> str | None:
    return None if _generated_name(model.name, type(model)) else model.name


def _config(layer: Any) -> dict[str, Any]:
    config = dict(layer.get_config())
    config.pop("name", None)
    function = getattr(layer, "function", None)
    if callable(function) and "function" in config:  # a Lambda: its serialized code holds line numbers
        config["function"] = function_fingerprint(function)
    normalized: dict[str, Any] = json.loads(json.dumps(config, sort_keys=True, default=str))
    return normalized


def function_fingerprint(function: Any) -> Any:
    """What a Lambda's function computes, apart from where it was written: its code, the
    constants and names it uses, and the values of its closure and the globals it reads."""
    code = getattr(function, "__code__", None)
    if code is None:
        return f"{type(function).__module__}.{getattr(function, '__qualname__', type(function).__name__)}"

    def of(code: Any) -> Any:
        consts = [of(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
        return [code.co_code.hex(), consts, list(code.co_names), list(code.co_varnames), code.co_argcount]

    cells = [describe(cell.cell_contents) for cell in function.__closure__ or ()]
    scope = getattr(function, "__globals__", {})
    read = {name: describe(scope[name]) for name in code.co_names if name in scope}
    return [of(code), cells, read, repr(function.__defaults__)]


def _pairs(original: Any, converted: Any) -> tuple[list[tuple[Any, Any]], list[str]]:
    """Layers matched in order when both list as many, else by name; and what has no twin."""
    left, right = all_layers(original), all_layers(converted)
    if len(left) == len(right):
        return list(zip(left, right, strict=True)), []
    by_name = {layer.name: layer for layer in right}
    pairs = [(layer, by_name[layer.name]) for layer in left if layer.name in by_name]
    matched = {id(b) for _, b in pairs}
    missing = [
        f"{layer.name} has no twin in the converted model" for layer in left if layer.name not in by_name
    ]
    extra = [f"{layer.name} is not in the original" for layer in right if id(layer) not in matched]
    return pairs, missing + extra


def renamed_layers(original: Any, converted: Any) -> list[str]:
    """Paired layers whose user-given names differ (a note: weights load by order still)."""
    pairs, _ = _pairs(original, converted)
    return [
        f"{a.name} / {b.name}"
        for a, b in pairs
        if a.name != b.name and not (_generated_name(a.name, type(a)) and _generated_name(b.name, type(b)))
    ]


def configuration_differences(original: Any, converted: Any) -> list[str]:
    """Differences of class and configuration (dropout rates, regularizers, dtypes...)
    between paired layers, in words; names are left out."""
    pairs, unmatched = _pairs(original, converted)
    found = list(unmatched)
    for a, b in pairs:
        if type(a) is not type(b):
            found.append(f"{a.name}: {type(a).__name__} / {type(b).__name__}")
            continue
        ca, cb = _config(a), _config(b)
        if "function" in ca and ca.get("function") != cb.get("function"):
            found.append(
                f"{a.name}: its function computes something else (code, closure or the globals it reads)"
            )
            ca.pop("function"), cb.pop("function", None)
        for key in sorted(set(ca) | set(cb)):
            if ca.get(key) != cb.get(key):
                found.append(f"{a.name}: {key} {_short(ca.get(key))} / {_short(cb.get(key))}")
    return found


def _short(value: Any) -> str:
    if isinstance(value, dict) and "class_name" in value:
        inner = value.get("config", {})
        return f"{value['class_name']}({inner.get('name', '')})" if "name" in inner else value["class_name"]
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _model_verdict(
    name: str,
    mode: VerifyMode,
    original: Any,
    converted: Any,
    comparisons: Comparisons,
    reasons: list[str],
    notes: list[str],
) -> ModelVerdict:
    if comparisons.unrunnable is not None and comparisons.all_ok:
        reasons = [
            *reasons,
            f"the original {name} could not be run on a batch here ({comparisons.unrunnable}), so "
            "their outputs are not compared; the rest agrees",
        ]
    return ModelVerdict(
        name=name,
        mode=mode,
        verdict=(
            "different"
            if not comparisons.all_ok
            else "unproven"
            if comparisons.unrunnable is not None
            else "equivalent"
        ),
        original=facts(original),
        converted=facts(converted),
        comparisons=list(comparisons),
        reasons=reasons,
        notes=notes,
        rows=Sides(summary_rows(original), summary_rows(converted)),
    )


def _kind(layer: Any) -> tuple[str, str, tuple[tuple[int, ...], ...]]:
    """What a layer is, apart from its name: class, configuration and weight shapes."""
    config = dict(layer.get_config())
    config.pop("name", None)
    return (
        type(layer).__name__,
        json.dumps(config, sort_keys=True, default=str),
        tuple(tuple(int(d) for d in w.shape) for w in layer.weights),
    )


def compare_shared(name: str, before: Any, after: Any) -> ModelVerdict:
    """A fix that shares layers: `after` must be `before` with its duplicate copies merged.

    Both get one set of weights per kind of layer, so every copy in `before` holds
    the weights of its shared twin in `after`; then the outputs must agree.
    """
    notes: list[str] = []
    fb, fa = facts(before), facts(after)
    kinds_b: dict[Any, list[Any]] = {}
    kinds_a: dict[Any, list[Any]] = {}
    for layer in all_layers(before):
        kinds_b.setdefault(_kind(layer), []).append(layer)
    for layer in all_layers(after):
        kinds_a.setdefault(_kind(layer), []).append(layer)
    comparisons = Comparisons()
    weighted = {k for k in {*kinds_b, *kinds_a} if k[2]}
    unmatched = sorted({k[0] for k in weighted if (k in kinds_b) != (k in kinds_a)})
    comparisons.add(
        "layers",
        not unmatched,
        "every layer with weights has its twin" if not unmatched else f"no twin for {', '.join(unmatched)}",
    )
    removed = sum(
        count(kinds_b[k][0].weights) * (len(kinds_b[k]) - len(kinds_a.get(k, [])))
        for k in weighted
        if k in kinds_b
    )
    copies = max(
        (len(kinds_b[k]) // max(len(kinds_a.get(k, [])), 1) for k in weighted if k in kinds_b), default=1
    )
    merged = sum(len(kinds_b[k]) - len(kinds_a.get(k, [])) for k in weighted if k in kinds_b)
    comparisons.add(
        "parameters",
        fa.params < fb.params and fb.params - removed == fa.params,
        f"{fb.params:,} -> {fa.params:,}: {merged} duplicate layers with weights merged "
        f"({copies} copies became one shared set)",
    )
    comparisons.shapes(fb, fa)
    for kind, layers_a in kinds_a.items():
        weights = layers_a[0].get_weights()
        for layer in [*layers_a, *kinds_b.get(kind, [])]:
            layer.set_weights(weights)
    comparisons.outputs(before, after, "every copy given the weights of its shared layer")
    failed = [c.what for c in comparisons if not c.ok]
    reasons = [f"the fix changed more than the sharing of weights ({', '.join(failed)})"] if failed else []
    return _model_verdict(name, "sharing", before, after, comparisons, reasons, notes)


def verify(request: dict[str, Any]) -> Verdict:
    quiet_tensorflow()
    notes: list[str] = []
    base = request.get("directory")
    if base:
        sys.path.insert(0, base)
        os.chdir(base)
    import keras

    feed_only(keras)
    offline_datasets(keras)
    remember_input_length(keras)
    called_with = record_calls(keras)
    runs = {}
    for label in ("original", "converted"):
        spec = request[label]
        source = (
            spec["source"]
            if spec.get("source") is not None
            else Path(spec["path"]).read_text(encoding="utf-8-sig")
        )
        runs[label] = run_program(
            source, spec["path"], label, request.get("entry"), notes, stop=label == "original"
        )
    program = differences(runs["original"], runs["converted"])
    if program:  # what the program does changed: no model comparison makes up for that
        return Verdict("ok", [], notes, program=program)
    sides = {label: keras_models(run.namespace) for label, run in runs.items()}
    wanted = request.get("models") or None
    if request.get("entry"):
        wanted = ["__seq2func_entry__"]
    names = wanted or [n for n in sides["original"] if n in sides["converted"]]
    if not names:
        raise VerifyFailure(
            "no model to compare: neither program leaves a Keras model in a module-level variable "
            "of the same name",
            hints=("bind-model",),
        )
    results = []
    for name in names:
        missing = [label for label in sides if name not in sides[label]]
        if missing:
            raise VerifyFailure(
                f"model {name!r} is not a module-level Keras model in the {' and '.join(missing)} program"
            )
        original, converted = sides["original"][name], sides["converted"][name]
        if not built(original) and not built(converted):  # a model left as it is, never built
            notes.append(f"{name}: neither program gives it an input shape, so there is nothing to compare")
            continue
        declared = declared_input(original) if not built(original) else None
        if declared is not None:
            original.build(declared)
            notes.append(
                f"{name}: the original is built with the input its Embedding declares "
                f"(input_length={declared[1]}, which Keras 3 ignores)"
            )
        if not built(original):
            results.append(unproven(name, converted))
            continue
        label = "entry" if name == "__seq2func_entry__" else name
        if request.get("mode") == "sharing":
            verdict = compare_shared(label, original, converted)
        else:
            verdict = compare(label, original, converted, frozenset(called_with.get(id(original), ())))
        graphs = (layer_graph(original), layer_graph(converted)) if request.get("plot") else (None, None)
        if graphs[0] is not None and graphs[1] is not None:
            verdict = replace(verdict, graphs=Graphs(graphs[0], graphs[1]))
        results.append(verdict)
    if not results:
        raise VerifyFailure(f"no model to compare: {'; '.join(notes)}")
    return Verdict("ok", results, notes)


def limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    request_path, result_path = argv[1], argv[2]
    request = json.loads(Path(request_path).read_text())
    limit_memory(request.get("memory_mb"))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = verify(request)
    except VerifyFailure as failure:
        result = Verdict("error", message=failure.message, where=failure.where, hints=failure.hints)
    except ImportError as error:
        result = Verdict("error", message=f"import failed: {error}")
    Path(result_path).write_text(json.dumps(asdict(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
