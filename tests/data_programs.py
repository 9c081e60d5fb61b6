"""Random programs whose Sequential is fed data from a source the static reader reads: a folder
of images (`image_dataset_from_directory` with its keywords, given positionally or by name,
`data_format`, `batch_size=None`, then batched, unbatched or mapped), NumPy arrays reshaped,
sliced and stacked, `tf.data` pipelines, `keras.datasets`, and notebooks whose saved outputs
and IPython lines (`X = %time X[:, :k]`) speak of the data. Driven by a `random.Random`.

Each program feeds `model` with `fit`; its folder of images, when it reads one, is `FOLDER`
(made by `make_folder`, which the harness puts beside the program or leaves out). The
differential check (`run_all`) runs each program for real, in one TensorFlow process:
whether it runs, and where it stops.
"""

from __future__ import annotations

import json
import os
import random
import sys
from dataclasses import dataclass, field
from typing import Any

FOLDER = "pictures"


@dataclass
class DataProgram:
    source: str
    description: str
    cells: list[str] = field(default_factory=list)  # a notebook's code cells (source is their script)
    outputs: dict[int, str] = field(default_factory=dict)  # cell index -> what it printed


def _images(rng: random.Random) -> tuple[list[str], str]:
    height, width = rng.randint(6, 14), rng.randint(6, 14)
    mode = rng.choice(["rgb", "grayscale", "rgba", None])
    batch = rng.choice([4, 3, None, "none"])
    fmt = rng.choice([None, None, "channels_last", "channels_first"])
    positional = rng.random() < 0.3
    args = [repr(FOLDER)]
    keywords = []
    if positional:  # directory, labels, label_mode, class_names, color_mode, batch_size, image_size
        args += [
            '"inferred"',
            '"int"',
            "None",
            repr(mode or "rgb"),
            str(batch if batch not in (None, "none") else 32),
            f"({height}, {width})",
        ]
    else:
        keywords.append(f"image_size=({height}, {width})")
        if mode is not None:
            keywords.append(f"color_mode={mode!r}")
        if batch == "none":
            keywords.append("batch_size=None")
        elif batch is not None:
            keywords.append(f"batch_size={batch}")
    if fmt is not None:
        keywords.append(f"data_format={fmt!r}")
    loader = rng.choice(
        ["keras.utils.image_dataset_from_directory", "tf.keras.utils.image_dataset_from_directory"]
    )
    line = f"train = {loader}({', '.join(args + keywords)})"
    batched = batch != "none"
    after = rng.choice(["", "", ".map(lambda x, y: (x / 255.0, y))", ".take(2)", ".prefetch(1)"])
    after += rng.choice([".unbatch().batch(3)", ".unbatch()"] if batched else [".batch(2)", "", ""])
    lines = [line + after]
    if rng.random() < 0.3:
        lines.append(f"train = train{rng.choice(['.cache()', '.shuffle(4)', '.repeat(1)'])}")
    return lines, "train"


def _arrays(rng: random.Random) -> tuple[list[str], str]:
    n, d = rng.randint(8, 20), rng.randint(3, 12)
    lines = [f"X = np.random.rand({n}, {d}).astype('float32')", f"y = np.zeros({n})"]
    steps = rng.sample(
        [
            f"X = X[:, :{rng.randint(1, d)}]",
            "X = np.expand_dims(X, -1)",
            "X = X.reshape(len(X), -1)",
            "X = np.concatenate([X, X], axis=-1)",
            f"X = X[:{rng.randint(4, n)}]",
            "X = X.T.T",
        ],
        rng.randint(0, 3),
    )
    lines += steps
    if rng.random() < 0.4:
        lines.append(
            "train = tf.data.Dataset.from_tensor_slices((X, y[: len(X)]))"
            + rng.choice(["", ".batch(4)", ".batch(4).unbatch().batch(2)"])
        )
        return lines, "train"
    lines.append("y = y[: len(X)]")
    return lines, "X, y"


def _datasets(rng: random.Random) -> tuple[list[str], str]:
    name = rng.choice(["mnist", "fashion_mnist", "cifar10"])
    lines = [f"(x_train, y_train), _ = keras.datasets.{name}.load_data()"]
    lines.append(
        rng.choice(
            [
                "",
                "x_train = x_train / 255.0",
                "x_train = x_train.reshape(len(x_train), -1)",
                "x_train = np.expand_dims(x_train, -1)",
                "x_train = x_train[:100, ::2]",
            ]
        )
    )
    return [line for line in lines if line], "x_train, y_train"


HEADER = "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n"


def _model(rng: random.Random, fed: str) -> list[str]:
    units = rng.randint(2, 5)
    classes, loss = rng.choice(
        [(2, "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"), (1, '"mse"')]
    )
    model = f"model = keras.Sequential([layers.Flatten(), layers.Dense({units}), layers.Dense({classes})])"
    if rng.random() < 0.3:
        model = f"model = keras.Sequential()\nmodel.add(layers.Flatten())\nmodel.add(layers.Dense({units}))\nmodel.add(layers.Dense({classes}))"
    return [model, f"model.compile('adam', {loss})", f"model.fit({fed}, epochs=1)"]


def generate(rng: random.Random) -> DataProgram:
    kind = rng.choice(["images", "images", "arrays", "notebook"])
    if kind == "notebook":
        return _notebook(rng)
    lines, fed = {"images": _images, "arrays": _arrays, "datasets": _datasets}[kind](rng)
    source = HEADER + "\n".join([*lines, *_model(rng, fed)]) + "\n"
    return DataProgram(source, kind)


def _notebook(rng: random.Random) -> DataProgram:
    """Cells: data, a printed shape (with its saved output, true or stale), an IPython line that
    changes the data or not, the model."""
    n, d = rng.randint(8, 20), rng.randint(4, 12)
    cells = [HEADER + f"X = np.random.rand({n}, {d}).astype('float32')\ny = np.zeros({n})"]
    shown = d if rng.random() < 0.7 else d + 1  # a stale output now and then
    cells.append("print(X.shape)")
    outputs = {1: f"({n}, {shown})\n"}
    magic = rng.choice(
        ["", f"X = %time X[:, :{rng.randint(1, d)}]", "%time y = y * 1", "%load_ext autoreload", "!ls"]
    )
    if magic:
        cells.append(magic)
    cells.append("\n".join(_model(rng, "X, y")))
    return DataProgram("", "notebook", cells, outputs)


def notebook_json(program: DataProgram) -> str:
    """The notebook of a generated program, with its saved outputs (nbformat 4)."""
    cells = []
    for k, text in enumerate(program.cells):
        outputs = (
            [{"output_type": "stream", "name": "stdout", "text": [program.outputs[k]]}]
            if k in program.outputs
            else []
        )
        cells.append(
            {
                "cell_type": "code",
                "execution_count": k + 1,
                "metadata": {},
                "outputs": outputs,
                "source": text,
            }
        )
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def make_folder(root: str, rng: random.Random) -> None:
    """`FOLDER` under `root`: two classes of tiny images of random sizes and colours."""
    import numpy as np
    import tensorflow as tf

    for label in ("a", "b"):
        folder = os.path.join(root, FOLDER, label)
        os.makedirs(folder, exist_ok=True)
        for k in range(4):
            pixels = np.full((rng.randint(5, 20), rng.randint(5, 20), 3), 30 * k, dtype="uint8")
            with open(os.path.join(folder, f"{k}.png"), "wb") as f:
                f.write(tf.io.encode_png(pixels).numpy())


def _run(text: str, folder: str) -> str:
    """Run one program for real (IPython lines as IPython runs them); how it ended."""
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    os.chdir(folder)
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance()
        shell.user_ns = namespace
        namespace["get_ipython"] = lambda: shell
        python = TransformerManager().transform_cell(text)
        python = python.replace("get_ipython().system(", "(lambda *a: None)(")
        exec(compile(python, "<program>", "exec"), namespace)
    except BaseException as error:
        return f"raised {type(error).__name__}: {' '.join(str(error).split())[:160]}"
    return "ran"


def run_all(pairs_path: str, results_path: str) -> None:
    """`python tests/data_programs.py PAIRS RESULTS`: PAIRS is a list of {"original", "converted",
    "folder"} texts; RESULTS, how each ran: [original, converted]."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with open(pairs_path) as f:
        pairs = json.load(f)
    import contextlib
    import io

    results = []
    for pair in pairs:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            results.append([_run(pair["original"], pair["folder"]), _run(pair["converted"], pair["folder"])])
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    run_all(sys.argv[1], sys.argv[2])
