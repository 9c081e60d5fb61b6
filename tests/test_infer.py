"""`convert --infer-shapes`: the program runs in the verifier's child with fit/evaluate/predict
intercepted, and the shapes it gives its models feed the static converter."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func.cli import main
from seq2func.verify.runner import infer_shapes

pytestmark = pytest.mark.tensorflow

MNIST = dedent(
    """\
    import keras
    from keras import layers

    def flatten(images):  # a helper with two exits: which one runs is not in the text
        if images.ndim == 2:
            return images
        return images.reshape(len(images), -1).astype("float32") / 255


    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = flatten(x_train)


    def build():
        model = keras.Sequential()
        model.add(layers.Dense(64, activation="relu"))
        model.add(layers.Dense(10, activation="softmax"))
        return model


    model = build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=2)
    """
)


def test_shape_from_the_data_fit_gets_and_verified(tmp_path: Path, capsys) -> None:
    """Should learn (784,) from what fit() was given (the dataset stands in offline, nothing
    trains), convert with it, and prove the conversion equivalent."""
    path = tmp_path / "mnist.py"
    path.write_text(MNIST)
    assert main(["convert", str(path)]) == 0
    assert "[input-shape-unknown]" in capsys.readouterr().err
    assert main(["convert", "--infer-shapes", "--verify", str(path), "-o", str(tmp_path / "out.py")]) == 0
    err = capsys.readouterr().err
    assert "input from the data a run gave it (--infer-shapes)" in err
    assert re.search(r"\bmodel \(line \d+\): equivalent", err), err
    assert "    inputs = keras.Input(shape=(784,))\n" in (tmp_path / "out.py").read_text()


def test_runs_that_do_not_tell_say_why(tmp_path: Path) -> None:
    """Should say where a program stopped before it gave a model data, and which models
    were given data of different shapes."""
    path = tmp_path / "stops.py"
    source = dedent(
        """\
        import numpy as np
        import keras
        a = keras.Sequential([keras.layers.Dense(2)])
        b = keras.Sequential([keras.layers.Dense(2)])
        b.fit(np.zeros((3, 4)), np.zeros(3))
        b.fit(np.zeros((3, 5)), np.zeros(3))
        open("missing.csv").read()
        a.fit(np.zeros((3, 4)), np.zeros(3))
        """
    )
    path.write_text(source)
    found = infer_shapes(path, source, timeout=240)
    assert found.shapes == ((3, (4,)),)  # the file nothing needs is never read
    assert found.conflicting == {4}
    assert "different shapes" in found.why_not(4)
    stops = dedent(
        """\
        import numpy as np
        import keras
        a = keras.Sequential([keras.layers.Dense(2)])
        b = keras.Sequential([keras.layers.Dense(2)])
        b.fit(np.zeros((3, 4)), np.zeros(3))
        b.fit(np.zeros((3, 5)), np.zeros(3))
        x = np.loadtxt("missing.csv")
        a.fit(x, np.zeros(3))
        """
    )
    path.write_text(stops)
    found = infer_shapes(path, stops, timeout=240)
    assert found.stopped is not None and "FileNotFoundError at line 7" in found.stopped
    assert "never built this model or gave it data (it raised FileNotFoundError at line 7" in found.why_not(3)


def test_a_dataset_pipeline_and_a_build_call(tmp_path: Path) -> None:
    """Should read a batched tf.data.Dataset's features, and the shape build() is given."""
    path = tmp_path / "pipeline.py"
    source = dedent(
        """\
        import numpy as np
        import tensorflow as tf
        import keras
        features = np.random.rand(64, 12).astype("float32")
        ds = tf.data.Dataset.from_tensor_slices((features, np.zeros(64))).batch(16)
        model = keras.Sequential([keras.layers.Dense(3)])
        model.fit(ds, epochs=3)
        other = keras.Sequential([keras.layers.Dense(3)])
        other.build((None, 7))
        """
    )
    path.write_text(source)
    found = infer_shapes(path, source, timeout=240)
    assert dict(found.shapes) == {6: (12,), 8: (7,)}


@pytest.mark.tensorflow
def test_where_a_notebooks_run_stopped_is_a_cell(tmp_path: Path) -> None:
    """--infer-shapes on a notebook names the cell where the run stopped, not a script line."""
    from seq2func.api import convert_bytes
    from seq2func.types import Options
    from tests.test_notebook import code, jupyter_bytes

    cells = [
        code("import numpy as np\nfrom tensorflow import keras", "a", 1),
        code("import seq2func_absent_data as data\nx = data.load()", "b", 2),
        code("model = keras.Sequential([keras.layers.Dense(2)])\nmodel.fit(x, x)", "c", 3),
    ]
    path = tmp_path / "nb.ipynb"
    path.write_bytes(jupyter_bytes(cells))
    result, _ = convert_bytes(path.read_bytes(), Options(infer_shapes=True), notebook=True, path=str(path))
    [skip] = result.skips
    assert "it raised ModuleNotFoundError at cell[2]:1" in skip.message
