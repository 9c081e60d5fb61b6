"""In the verifier's children: what keeps a program offline and untrained while it builds
its models, and what records how each Sequential got its input.

- `fit`, `evaluate`, `predict` and the like first run the model on the first rows of their
  data (an unbuilt model is built from it, and a model whose input the data does not fit
  raises, as it would), then return what Keras returns: the real method, run on those rows
  (a `History` with the compiled metrics, one per epoch asked for; a list of metrics; one
  row of predictions per input row). Nothing trains on the data.
- Data comes through the real library functions. A folder read with
  `image_dataset_from_directory` or `text_dataset_from_directory` that is not there (or holds
  no such files) is made: tiny images or texts in the folders the call asks for (its class
  names, its labels), and the real function reads it with every argument the program gave.
  `get_file` is the real function, its download replaced by a file made for the name asked
  (a text, a CSV, an archive the real function extracts), in a folder of the child's own.
- `keras.datasets` loaders, `tensorflow_datasets.load` and scikit-learn's downloads give
  zeros of their documented shapes (no download); arrays are writable.
- `Recorder` keeps, per Sequential, how it was first built: declared (its constructor, its
  adds, `build()`), by the data fed to it (the line of the `fit`), or by a call on a tensor.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import inspect
import os
import resource
import sys
import tarfile
import tempfile
import types
import urllib.parse
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from seq2func.core.keras_api import DATASETS, FEED_METHODS, TFDS_SUPERVISED

ROWS = 4  # rows of the program's data a model is run on (enough for a validation split)

IMAGE_SUFFIXES = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
TEXT_SUFFIXES = (".txt",)
WORDS = ("the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "and", "then", "it", "rests")


class _Keras2(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of `keras` and its modules answered with tf_keras's (Keras 2): one module object
    for both names, so classes stay one class."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "keras" and not name.startswith("keras."):
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec: Any) -> Any:
        rest = spec.name[len("keras") :]
        # Keras 2's own module paths: tf_keras keeps some in src (keras.utils.np_utils); modules
        # that only held layers (keras.layers.core, .recurrent, .merge; keras.engine.topology)
        # are its public layers now
        names = ["tf_keras" + rest, "tf_keras.src" + rest]
        if rest.startswith((".layers.", ".engine.")):
            names.append("tf_keras.layers")
        for name in names[:-1]:
            with contextlib.suppress(ImportError):
                return importlib.import_module(name)
        return importlib.import_module(names[-1])  # or what Python says of the first

    def exec_module(self, module: Any) -> None:
        pass


def use_keras2() -> None:
    """Run on Keras 2: `import keras` and `tf.keras` give tf_keras (before either is imported)."""
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    sys.meta_path.insert(0, _Keras2())


def keras_module(*names: str) -> Any:
    """The first of these modules that this Keras has (Keras 3 and Keras 2 put things apart)."""
    for name in names:
        with contextlib.suppress(ImportError):
            return importlib.import_module(name)
    raise ImportError(f"none of {', '.join(names)}")


def standardize_dtype(keras: Any, dtype: Any) -> str:
    standardize = getattr(keras.backend, "standardize_dtype", None)
    return str(standardize(dtype)) if standardize is not None else str(getattr(dtype, "name", dtype))


def quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# -- how each Sequential got its input ------------------------------------------------------------


class Recorder:
    """Per Sequential: how it was first built (`declared`, `data`, `applied`) and the line of
    the program that did it; the dtypes of the tensors it was called on."""

    def __init__(self, filenames: set[str]) -> None:
        self.reset(filenames)

    def reset(self, filenames: set[str]) -> None:
        """Forget every model: the programs of a new request (in a child that serves many)."""
        self.filenames = filenames
        self.built: dict[int, tuple[str, int | None]] = {}
        self.called: dict[int, set[str]] = defaultdict(set)
        # the shapes of the data each was fed, batch aside
        self.fed: dict[int, set[tuple[int | None, ...]]] = defaultdict(set)
        self._context: list[str] = []
        self._alive: list[Any] = []  # ids stay unique while recorded

    def user_line(self) -> int | None:
        """The innermost line of the program running now."""
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename in self.filenames:
                return frame.f_lineno
            frame = frame.f_back  # type: ignore[assignment]
        return None

    @contextlib.contextmanager
    def during(self, how: str) -> Iterator[None]:
        self._context.append(how)
        try:
            yield
        finally:
            self._context.pop()

    def building(self, model: Any) -> None:
        if id(model) not in self.built:
            self.built[id(model)] = (self._context[-1] if self._context else "declared", self.user_line())
            self._alive.append(model)


def built(model: Any) -> bool:
    """Whether Keras gave the model its inputs (a Sequential never told its input shape has none)."""
    try:
        return bool(model.inputs)
    except (AttributeError, ValueError):
        return False


def record_builds(keras: Any, recorder: Recorder) -> None:
    build, call = keras.Sequential.build, keras.Sequential.__call__

    def recording_build(self: Any, input_shape: Any = None) -> Any:  # Keras reads build's signature
        recorder.building(self)
        return build(self, input_shape)

    def recording_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        first = args[0] if args else kwargs.get("inputs")
        dtype = getattr(first, "dtype", None)
        if dtype is not None:
            recorder.called[id(self)].add(standardize_dtype(keras, dtype))
        with recorder.during("applied"):
            return call(self, *args, **kwargs)

    keras.Sequential.build = recording_build
    keras.Sequential.__call__ = recording_call


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


# -- fit, evaluate, predict -----------------------------------------------------------------------


def _first_rows(data: Any, rows: int = ROWS) -> Any:
    """The first rows of data as Keras takes it: arrays and tensors, lists and dicts of them,
    the first batch of a tf.data.Dataset (features and targets as they come); None for a
    Python generator, which is not read."""
    if data is None:
        return None
    if hasattr(data, "element_spec"):
        return data.take(1)
    if isinstance(data, list | tuple):
        parts = [_first_rows(d, rows) for d in data]
        return None if any(p is None for p in parts) else type(data)(parts)
    if isinstance(data, dict):
        return {k: _first_rows(v, rows) for k, v in data.items()}
    if hasattr(data, "iloc"):  # a pandas DataFrame or Series
        return data.iloc[:rows].to_numpy()
    if hasattr(data, "shape") and hasattr(data, "__getitem__"):
        return data[:rows]
    return None


def _features(few: Any, keras: Any) -> Any:
    """What a model is called on: a dataset's first batch's features, or the rows themselves;
    a PyDataset's (an `ImageDataGenerator().flow(...)`) first batch."""
    if hasattr(few, "element_spec"):
        for batch in few:
            return batch[0] if isinstance(batch, tuple) else batch
        return None
    return few


def _rows(data: Any) -> int | None:
    """How many rows Keras would predict for: an array's length, a small dataset's examples."""
    if hasattr(data, "element_spec"):
        count = 0
        for batch in data.take(10_000):
            first = batch[0] if isinstance(batch, tuple) else batch
            first = next(iter(first.values())) if isinstance(first, dict) else first
            count += int(first.shape[0]) if getattr(first, "shape", None) is not None and first.shape else 1
        return count
    if isinstance(data, list | tuple) and data:
        return _rows(data[0])
    if isinstance(data, dict) and data:
        return _rows(next(iter(data.values())))
    try:
        return len(data)
    except TypeError:
        return None


def _tiled(value: Any, rows: int | None) -> Any:
    """Predictions with one row per input row (the rows computed, repeated), writable."""
    import numpy as np

    if isinstance(value, list | tuple):
        return type(value)(_tiled(v, rows) for v in value)
    if isinstance(value, dict):
        return {k: _tiled(v, rows) for k, v in value.items()}
    array = np.array(value)
    if rows is None or array.ndim == 0 or not len(array) or len(array) == rows:
        return array
    return np.resize(array, (rows, *array.shape[1:]))


def feed_only(keras: Any, recorder: Recorder) -> None:
    """`fit`, `evaluate`, `predict` and the like, on the first rows of their data (see the module)."""
    for name in FEED_METHODS:
        real = getattr(keras.Model, name, None)
        if real is not None:
            setattr(keras.Model, name, _feeding(keras, recorder, name, real))


def _feeding(keras: Any, recorder: Recorder, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    PyDataset = getattr(keras.utils, "PyDataset", None) or keras.utils.Sequence  # Keras 2's

    signature = inspect.signature(real)

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        given = dict(bound.arguments)
        x = given.get("x")
        if isinstance(x, PyDataset) and len(x):  # an ImageDataGenerator().flow(...): its first batch
            parts = x[0] if isinstance(x[0], tuple) else (x[0],)
            given["x"], given["y"] = parts[0], parts[1] if len(parts) > 1 else None
        few = _first_rows(given.get("x"))
        features = _features(few, keras)
        if getattr(features, "shape", None) is not None and len(features.shape) > 1:
            recorder.fed[id(self)].add(tuple(None if d is None else int(d) for d in features.shape[1:]))
        with recorder.during("data"):
            if features is not None and not built(self) and hasattr(features, "shape"):
                self.build((None, *features.shape[1:]))  # as Keras's fit does: any batch size
            out = None if features is None else self(features, training=False)
        return _like_keras(name, real, self, given, few, out)

    method.__name__ = name
    return method


def _like_keras(
    name: str, real: Callable[..., Any], model: Any, given: dict[str, Any], few: Any, out: Any
) -> Any:
    """What the real method returns for these settings, from running it on the first rows."""
    import numpy as np

    y = _first_rows(given.get("y"))
    if name.startswith("predict"):
        return None if out is None else _tiled(keras_output(out), _rows(given.get("x")))
    keep = {"verbose": 0} if name in ("fit", "evaluate") else {}
    if name == "evaluate" and given.get("return_dict"):
        keep["return_dict"] = True
    if name == "fit":
        for key in ("validation_split", "class_weight", "shuffle"):
            if key in given:
                keep[key] = given[key]
        if given.get("validation_data") is not None:
            keep["validation_data"] = _first_rows(given["validation_data"])
    weights = _first_rows(given.get("sample_weight"))
    if weights is not None:
        keep["sample_weight"] = weights
    eager = getattr(model, "run_eagerly", False)
    try:
        with contextlib.suppress(AttributeError, ValueError):
            model.run_eagerly = True  # a few rows: tracing a graph would take longer than running them
        arguments = (few,) if hasattr(few, "element_spec") or y is None else (few, y)
        result = real(model, *arguments, **keep)
    except Exception:  # the rows alone do not satisfy the real method: its result's form, made up
        result = _made_up(name, model)
    finally:
        with contextlib.suppress(AttributeError, ValueError):
            model.run_eagerly = eager
    if name == "fit":
        epochs = int(given.get("epochs", 1) or 1) - int(given.get("initial_epoch", 0) or 0)
        result.history = {k: list(v[:1]) * max(epochs, 0) for k, v in result.history.items()}
        result.epoch = list(range(int(given.get("initial_epoch", 0) or 0), int(given.get("epochs", 1) or 1)))
        if isinstance(getattr(result, "params", None), dict):
            result.params["epochs"] = int(given.get("epochs", 1) or 1)
    return result if not isinstance(result, np.ndarray) else np.array(result)


def keras_output(out: Any) -> Any:
    import numpy as np

    if isinstance(out, list | tuple):
        return type(out)(keras_output(o) for o in out)
    if isinstance(out, dict):
        return {k: keras_output(v) for k, v in out.items()}
    return np.array(out)


def _made_up(name: str, model: Any) -> Any:
    import keras

    if name == "fit":
        history = keras.callbacks.History()
        history.history = {"loss": [0.0]}
        history.params = {"epochs": 1, "steps": 1, "verbose": 0}
        return history
    return 0.0


# -- data through the real library functions --------------------------------------------------------


def _replace_everywhere(original: Any, replacement: Any) -> None:
    """Put `replacement` wherever a Keras or TensorFlow module holds `original` (`keras.utils`,
    `tf.keras.utils`, `keras.preprocessing`, the module that defines it)."""
    for name in ("keras._tf_keras.keras.utils", "keras._tf_keras.keras.preprocessing"):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for module in list(sys.modules.values()):
        if not isinstance(module, types.ModuleType):
            continue
        if not module.__name__.startswith(("keras", "tensorflow", "tf_keras")):
            continue
        for attribute, value in list(vars(module).items()):
            if value is original:
                setattr(module, attribute, replacement)


def _has_files(folder: Any, suffixes: tuple[str, ...]) -> bool:
    path = Path(os.fspath(folder)) if isinstance(folder, str | os.PathLike) else None
    if path is None or not path.is_dir():
        return False
    return any(p.suffix.lower() in suffixes for p in path.rglob("*"))


def _made_folder(label: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"seq2func-{label}-"))


def _class_folders(arguments: dict[str, Any], files: int) -> tuple[Path, list[tuple[Path, int]]]:
    """A made folder for a loader's arguments, and where to put how many files: a folder per
    class (its class names, else two), or the folder itself for `labels=None` or a list of
    labels (as many files as labels)."""
    root = _made_folder("data")
    labels = arguments.get("labels", "inferred")
    if labels is None:
        return root, [(root, files)]
    if isinstance(labels, list | tuple):
        return root, [(root, len(labels))]
    names = arguments.get("class_names") or arguments.get("classes") or ["a", "b"]
    return root, [(root / str(n), files) for n in names]


def _folder_loader(
    real: Callable[..., Any], suffixes: tuple[str, ...], write: Callable[[Path, int], None]
) -> Any:
    signature = inspect.signature(real)

    def loader(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        if not _has_files(bound.arguments.get("directory"), suffixes):
            root, folders = _class_folders(bound.arguments, 5)
            for folder, count in folders:
                folder.mkdir(parents=True, exist_ok=True)
                for k in range(count):
                    write(folder, k)
            bound.arguments["directory"] = str(root)
        return real(*bound.args, **bound.kwargs)

    loader.__name__ = real.__name__
    loader.__doc__ = real.__doc__
    return loader


def _write_image(folder: Path, k: int) -> None:
    import numpy as np
    import tensorflow as tf

    pixels = np.full((8, 8, 3), 40 * k % 256, dtype="uint8")
    (folder / f"{k:03d}.png").write_bytes(tf.io.encode_png(pixels).numpy())


def _write_text(folder: Path, k: int) -> None:
    (folder / f"{k:03d}.txt").write_text(" ".join(WORDS[k % 5 : k % 5 + 6]))


def data_from_folders(keras: Any) -> None:
    image = keras_module(
        "keras.src.utils.image_dataset_utils", "keras.src.utils.image_dataset"
    ).image_dataset_from_directory
    text = keras_module(
        "keras.src.utils.text_dataset_utils", "keras.src.utils.text_dataset"
    ).text_dataset_from_directory
    _replace_everywhere(image, _folder_loader(image, IMAGE_SUFFIXES, _write_image))
    _replace_everywhere(text, _folder_loader(text, TEXT_SUFFIXES, _write_text))
    with contextlib.suppress(ImportError):  # Keras 2's generator (Pillow reads its images)
        generator = keras_module(
            "keras.src.legacy.preprocessing.image", "keras.src.preprocessing.image"
        ).ImageDataGenerator
        real = generator.flow_from_directory
        generator.flow_from_directory = _folder_loader(real, IMAGE_SUFFIXES, _write_image)


def _made_download(target: Path, name: str) -> None:
    """A file where a download would be, made for its name: a text, a CSV, an archive (holding
    a folder named for it, which the real `get_file` extracts), else empty."""
    lower = name.lower()
    stem = name.split(".")[0] or "data"
    if lower.endswith((".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz")):
        mode = "w:gz" if lower.endswith(("gz", "tgz")) else "w:bz2" if "bz" in lower else "w"
        with tarfile.open(target, mode) as archive:  # type: ignore[call-overload]
            entry = tarfile.TarInfo(stem)
            entry.type = tarfile.DIRTYPE
            archive.addfile(entry)
    elif lower.endswith(".zip"):
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr(f"{stem}/", "")
    elif lower.endswith(".csv"):
        target.write_text("a,b,c,label\n" + "".join(f"{k},{k},{k},{k % 2}\n" for k in range(8)))
    elif lower.endswith((".txt", ".md")) or "." not in name:
        target.write_text(" ".join(WORDS * 40) + "\n")
    else:
        target.write_bytes(b"")


def get_file_offline(keras: Any) -> None:
    file_utils = keras_module("keras.src.utils.file_utils", "keras.src.utils.data_utils")
    real = file_utils.get_file
    signature = inspect.signature(real)
    cache = _made_folder("downloads")

    def fetch(origin: str, target: str, *args: Any, **kwargs: Any) -> None:
        asked = Path(urllib.parse.urlsplit(str(origin)).path).name or Path(str(target)).name
        _made_download(Path(target), asked)

    def get_file(*args: Any, **kwargs: Any) -> str:
        bound = signature.bind(*args, **kwargs)
        bound.arguments["cache_dir"] = str(cache)
        for key in ("md5_hash", "file_hash"):  # a made file has no such hash
            bound.arguments.pop(key, None)
        bound.arguments.pop("force_download", None)
        saved = file_utils.urlretrieve
        file_utils.urlretrieve = fetch
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                found = Path(real(*bound.args, **bound.kwargs))
        finally:
            file_utils.urlretrieve = saved
        if (bound.arguments.get("extract") or bound.arguments.get("untar")) and not found.exists():
            found.mkdir(parents=True)  # what it extracts is made where it is read (folders of data)
        return str(found)

    get_file.__doc__ = real.__doc__
    _replace_everywhere(real, get_file)


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
    """`keras.datasets` loaders return zeros of their documented shapes (no download)."""
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
        module.__seq2func_stand_in__ = True  # type: ignore[attr-defined]  # kept between requests
        module.as_numpy = lambda data: data.as_numpy_iterator()  # type: ignore[attr-defined]
        sys.modules["tensorflow_datasets"] = module
    else:  # the project's own copy: never a dependency of seq2func
        module = importlib.import_module("tensorflow_datasets")
    module.load = load  # type: ignore[attr-defined]


_INSTALLED: dict[str, Recorder] = {}  # what this process's Keras was given, once: "keras", "legacy"


def install(keras: Any, recorder: Recorder, legacy: bool = False) -> Recorder:
    """Every stand-in of this module, in the child's Keras, once a process (`legacy`: and in
    TensorFlow's own old copy of Keras, `tensorflow.python.keras`, which programs import from
    its private path); the recorder they report to (the first one given)."""
    if "keras" not in _INSTALLED:
        _INSTALLED["keras"] = recorder
        feed_only(keras, recorder)
        record_builds(keras, recorder)
        remember_input_length(keras)
        offline_datasets(keras)
        data_from_folders(keras)
        get_file_offline(keras)
        offline_tfds()
        offline_sklearn()
    recorder = _INSTALLED["keras"]
    if legacy and "legacy" not in _INSTALLED:
        _INSTALLED["legacy"] = recorder
        with contextlib.suppress(Exception):  # a TensorFlow that no longer has it
            old = types.SimpleNamespace(
                Model=importlib.import_module("tensorflow.python.keras.engine.training").Model,
                Sequential=importlib.import_module("tensorflow.python.keras.engine.sequential").Sequential,
                backend=keras.backend,
            )
            feed_only(old, recorder)
            record_builds(old, recorder)
    return recorder


def reset_keras(keras: Any) -> None:
    """Keras's global settings as a new process has them (a program may change them)."""
    config = getattr(keras, "config", keras.backend)
    for setting, value in (
        ("set_floatx", "float32"),
        ("set_epsilon", 1e-7),
        ("set_image_data_format", "channels_last"),
        ("set_dtype_policy", "float32"),
    ):
        with contextlib.suppress(Exception):
            getattr(config, setting)(value)
    with contextlib.suppress(Exception):
        keras.mixed_precision.set_global_policy("float32")
    with contextlib.suppress(Exception):
        import tensorflow as tf

        tf.config.run_functions_eagerly(False)
    keras.backend.clear_session()
