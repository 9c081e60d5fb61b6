"""A proof per conversion, from the program's slice for it (issue 35), against real
TensorFlow/Keras: each conversion gets its own verdict, a program's downloads, training and
plots stay out of its proof, an input shape only the converter read is said so, and the
stand-ins behave like the Keras calls they stand in for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func import convert_source
from seq2func.cli import main
from seq2func.cli.schema import SCHEMA_PATH
from seq2func.types import Exit, VerifySettings
from seq2func.verify import prove
from seq2func.verify.report import format_verdict

pytestmark = [pytest.mark.tensorflow, pytest.mark.usefixtures("one_verifier")]


def proven(tmp_path: Path, original: str, converted: str | None = None, **settings: object):  # type: ignore[no-untyped-def]
    """The verdict on `original` converted by seq2func (or `converted`, made from seq2func's
    conversion by hand), each conversion proven where it is made."""
    path = tmp_path / "program.py"
    path.write_text(original)
    result = convert_source(original)
    assert result.conversions, result.skips
    text = converted if converted is not None else result.new_text
    return prove(
        path, original, text, VerifySettings(timeout=300, **settings), conversions=result.conversions
    )  # type: ignore[arg-type]


TWO_MODELS = dedent(
    """\
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    model.compile("adam", "mse")

    model = keras.Sequential([layers.Dense(8, input_shape=(5,)), layers.Dense(1)])
    model.compile("adam", "mse")
    """
)


def test_each_conversion_bound_to_one_name_gets_its_own_verdict(tmp_path: Path) -> None:
    """Two models bound to `model`: a wrong conversion of the first is caught (verdicts keyed
    by name compared only the last binding, and called the file equivalent)."""
    right = proven(tmp_path, TWO_MODELS)
    assert [(m.site, m.verdict) for m in right.models] == [(0, "equivalent"), (1, "equivalent")]
    converted = convert_source(TWO_MODELS).new_text
    wrong_first = converted.replace("layers.Dense(4)", "layers.Dense(5)", 1)
    assert wrong_first != converted
    verdict = proven(tmp_path, TWO_MODELS, wrong_first)
    assert [(m.site, m.verdict) for m in verdict.models] == [(0, "different"), (1, "equivalent")]
    assert verdict.exit_code == Exit.CHANGED
    assert "converted has 32 parameters, 1.23x the original's 26" in format_verdict(verdict, "program.py")


def test_a_notebook_with_many_conversions_gets_a_verdict_for_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nbformat = pytest.importorskip("nbformat")
    cells = [nbformat.v4.new_code_cell("import keras\nfrom keras import layers\n%matplotlib inline")]
    for k in range(1, 6):
        cells.append(
            nbformat.v4.new_code_cell(
                f"model = keras.Sequential([layers.Dense({k + 1}, input_shape=({k},)), layers.Dense(1)])\n"
                "model.compile('adam', 'mse')"
            )
        )
    path = tmp_path / "many.ipynb"
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    assert main(["convert", "--verify", "--output-format", "json", "-i", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))
    assert report["summary"]["verification"] == {
        "equivalent": 5,
        "unconfirmed": 0,
        "different": 0,
        "unproven": 0,
    }
    [file] = report["files"]
    assert [c["verification"]["verdict"] for c in file["conversions"]] == ["equivalent"] * 5
    assert [c["cell"] for c in file["conversions"]] == [2, 3, 4, 5, 6]
    assert all(c["verification"]["shape_source"] == "declared" for c in file["conversions"])


CUSTOM = dedent(
    """\
    import keras
    from keras import layers


    class Scale(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor


    OFFSET = 1.0
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3), Scale(), layers.Lambda(lambda t: t + OFFSET)]
    )
    """
)


@pytest.mark.parametrize(
    ("change", "verdict", "said"),
    [
        pytest.param(None, "equivalent", None, id="the-same-definitions"),
        pytest.param(
            ("x * self.factor", "x * self.factor * 2"),
            "different",
            "Scale / Scale (defined differently)",
            id="a-changed-layer-class",
        ),
        pytest.param(
            ("t + OFFSET", "t - OFFSET"),
            "different",
            "its function computes something else",
            id="a-changed-lambda",
        ),
    ],
)
def test_classes_and_lambdas_the_program_defines(
    tmp_path: Path, change: tuple[str, str] | None, verdict: str, said: str | None
) -> None:
    """A layer class defined in the file is the same class in both programs when it is
    defined alike (keras.io's antirectifier was refused); a changed one, or a changed
    Lambda, is different."""
    converted = convert_source(CUSTOM).new_text
    if change is not None:
        converted = converted.replace(*change)
    found = proven(tmp_path, CUSTOM, converted)
    [model] = found.models
    assert model.verdict == verdict, format_verdict(found, "program.py")
    if said is not None:
        assert said in format_verdict(found, "program.py")


DOWNLOADS_TRAINS_PLOTS = dedent(
    """\
    import pathlib

    import keras
    import matplotlib.pyplot as plt
    from keras import layers

    data_dir = keras.utils.get_file(
        "flower_photos", origin="https://storage.googleapis.com/flower_photos.tgz", untar=True
    )
    data_dir = pathlib.Path(data_dir) / "flower_photos"
    train_ds = keras.utils.image_dataset_from_directory(
        data_dir, validation_split=0.2, subset="training", seed=123, image_size=(24, 20), batch_size=4
    )
    class_names = train_ds.class_names

    model = keras.Sequential()
    model.add(layers.Rescaling(1.0 / 255))
    model.add(layers.Conv2D(4, 3, activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(len(class_names)))
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(train_ds, epochs=10)
    loss, acc = model.evaluate(train_ds)
    predictions = model.predict(train_ds)
    first = predictions[0]
    plt.plot(history.history["accuracy"])
    plt.show()
    model.save("flowers.keras")
    """
)


def test_a_program_that_downloads_trains_and_plots_is_proven_from_its_slice(tmp_path: Path) -> None:
    """No network, no matplotlib in this environment, ten epochs asked: the download is the real
    get_file on a file made for it, the folder of images is made and read by the real
    image_dataset_from_directory, nothing trains, the plot and the save never run."""
    verdict = proven(tmp_path, DOWNLOADS_TRAINS_PLOTS)
    text = format_verdict(verdict, "program.py")
    [model] = verdict.models
    assert model.verdict == "equivalent", text
    assert model.shape_source == "data" and model.shape_confirmed
    assert "input (None, 24, 20, 3) confirmed by running line 22" in text
    assert not (tmp_path / "flowers.keras").exists()


def test_an_unconfirmed_shape_is_labelled_and_strict_shapes_refuses_it(tmp_path: Path) -> None:
    """A shape only the converter read (here: the library's input_shape=) is proven as a claim,
    said so, and written; strict-shapes refuses it."""
    original = dedent(
        """\
        import numpy as np
        import keras
        X = np.loadtxt("measurements.csv", delimiter=",")
        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(X, X[:, 0])
        """
    )
    path = tmp_path / "program.py"
    path.write_text(original)
    result = convert_source(original, input_shape=(7,))
    verdict = prove(
        path, original, result.new_text, VerifySettings(timeout=300), conversions=result.conversions
    )
    [model] = verdict.models
    assert (
        model.verdict == "equivalent" and model.shape_source == "claimed" and model.shape_confirmed is False
    )
    assert "input (None, 7) as read from input_shape=; not confirmed by running (line 3 raised" in model.shape
    assert "measurements.csv" in model.shape and verdict.exit_code == Exit.OK
    strict = prove(
        path,
        original,
        result.new_text,
        VerifySettings(timeout=300, strict_shapes=True),
        conversions=result.conversions,
    )
    assert [m.verdict for m in strict.models] == ["unproven"] and strict.exit_code == Exit.NOT_VERIFIED


def test_a_wrong_static_shape_that_running_refutes_is_different(tmp_path: Path) -> None:
    """The data the program feeds the model is (16, 11); a conversion that gave it (12,) is
    called different, with the line where the converted program fails."""
    original = dedent(
        """\
        import numpy as np
        import keras
        X = np.random.rand(16, 11)
        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(X, X[:, 0])
        """
    )
    converted = convert_source(original).new_text
    assert "shape=(11,)" in converted
    verdict = proven(tmp_path, original, converted.replace("shape=(11,)", "shape=(12,)"))
    [model] = verdict.models
    text = format_verdict(verdict, "program.py")
    assert model.verdict == "different" and verdict.exit_code == Exit.CHANGED, text
    assert "raised ValueError" in text and "after the conversion" in text


def test_a_keyword_the_static_reader_misses_is_caught_by_the_real_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mutation: the static reader made to read every image folder as RGB. The proof runs the
    real image_dataset_from_directory (on images made for it), so the grayscale data refutes
    the conversion, which a stand-in reading the same keywords would have blessed."""
    from seq2func.shapes import datasets

    original = dedent(
        """\
        import keras
        from keras import layers
        train = keras.utils.image_dataset_from_directory("faces", image_size=(12, 10), color_mode="grayscale", batch_size=4)
        model = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train, epochs=1)
        """
    )
    assert "shape=(12, 10, 1)" in convert_source(original).new_text
    monkeypatch.setitem(datasets.IMAGE_CHANNELS, "grayscale", 3)
    mutated = convert_source(original)
    assert "shape=(12, 10, 3)" in mutated.new_text
    verdict = proven(tmp_path, original, mutated.new_text)
    assert [m.verdict for m in verdict.models] == ["different"], format_verdict(verdict, "program.py")


def test_ipython_lines_run_as_ipython_runs_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`X = %time X[:, :6]` assigns: a conversion read from what came before it is refuted by
    running the line as IPython does; a shell command never runs."""
    nbformat = pytest.importorskip("nbformat")
    cells = [
        nbformat.v4.new_code_cell("import numpy as np\nimport keras\nX = np.random.rand(32, 12)"),
        nbformat.v4.new_code_cell("!touch shell_ran\nX = %time X[:, :6]"),
        nbformat.v4.new_code_cell(
            "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\n"
            "model.compile('adam', 'mse')\nmodel.fit(X, X[:, 0])"
        ),
    ]
    path = tmp_path / "magic.ipynb"
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    code = main(["convert", "--verify", "--input-shape", "12", "-i", str(path)])
    err = capsys.readouterr().err
    assert code == Exit.CHANGED, err
    assert "model (cell[3]:1): different" in err and "input (None, 6) from the data cell[3]:3 feeds it" in err
    assert not (tmp_path / "shell_ran").exists()


STAND_INS = dedent(
    """\
    import json, os, tempfile, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import keras
    import tensorflow as tf

    def model(metrics):
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
        m.compile("adam", "mse", metrics=metrics)
        return m

    x, y = np.random.rand(10, 4).astype("float32"), np.random.rand(10, 2).astype("float32")

    def shape_of(value):
        if isinstance(value, keras.callbacks.History):
            return ["History", sorted(value.history), [len(v) for v in value.history.values()], value.epoch]
        if isinstance(value, np.ndarray):
            return ["array", list(value.shape), bool(value.flags.writeable)]
        if isinstance(value, dict):
            return ["dict", sorted(value)]
        if isinstance(value, list):
            return ["list", len(value)]
        return [type(value).__name__]

    calls = {
        "fit": lambda m: m.fit(x, y, epochs=3, verbose=0, validation_split=0.2),
        "fit-dataset": lambda m: m.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(5), epochs=2, verbose=0),
        "evaluate": lambda m: m.evaluate(x, y, verbose=0),
        "evaluate-dict": lambda m: m.evaluate(x, y, verbose=0, return_dict=True),
        "predict": lambda m: m.predict(x, verbose=0),
        "predict-dataset": lambda m: m.predict(tf.data.Dataset.from_tensor_slices(x).batch(3), verbose=0),
        "train_on_batch": lambda m: m.train_on_batch(x, y),
        "test_on_batch": lambda m: m.test_on_batch(x, y),
        "predict_on_batch": lambda m: m.predict_on_batch(x),
    }
    results = {}
    for metrics in ([], ["mae", keras.metrics.AUC(name="auc")]):
        for name, call in calls.items():
            results.setdefault(f"{name} {len(metrics)}", []).append(shape_of(call(model(metrics))))

    root = tempfile.mkdtemp()
    for label in ("cats", "dogs"):
        os.makedirs(os.path.join(root, label))
        for k in range(5):
            with open(os.path.join(root, label, f"{k}.png"), "wb") as f:
                f.write(tf.io.encode_png(np.zeros((8, 8, 3), "uint8")).numpy())
    loads = {
        "rgb": dict(image_size=(12, 10), batch_size=4),
        "grayscale": dict(image_size=(12, 10), color_mode="grayscale", batch_size=4),
        "channels-first": dict(image_size=(12, 10), data_format="channels_first", batch_size=4),
        "unbatched": dict(image_size=(12, 10), batch_size=None),
        "split": dict(image_size=(12, 10), validation_split=0.2, subset="training", seed=1),
    }

    def spec(data):
        return str(data.element_spec)

    for name, keywords in loads.items():
        results.setdefault(f"images {name}", []).append(spec(keras.utils.image_dataset_from_directory(root, **keywords)))
    real_names = keras.utils.image_dataset_from_directory(root).class_names

    from seq2func.verify.standins import Recorder, install
    install(keras, Recorder({"-"}))
    for metrics in ([], ["mae", keras.metrics.AUC(name="auc")]):
        for name, call in calls.items():
            results[f"{name} {len(metrics)}"].append(shape_of(call(model(metrics))))
    for name, keywords in loads.items():
        missing = os.path.join(tempfile.mkdtemp(), "not-there")
        data = keras.utils.image_dataset_from_directory(missing, class_names=["cats", "dogs"], **keywords)
        results[f"images {name}"].append(spec(data))
    results["class names"] = [real_names, keras.utils.image_dataset_from_directory("nowhere", class_names=["cats", "dogs"]).class_names]
    folder = keras.utils.get_file("flower_photos", origin="https://example.org/flower_photos.tgz", untar=True)
    text = keras.utils.get_file("nietzsche.txt", origin="https://example.org/nietzsche.txt")
    results["get_file"] = [[True, True], [os.path.isdir(folder), os.path.isfile(text) and len(open(text).read()) > 100]]
    (x_train, _), _ = keras.datasets.mnist.load_data()
    x_train *= 2  # writable
    results["writable"] = [True, bool(x_train.flags.writeable)]
    print(json.dumps(results))
    """
)


def test_every_stand_in_answers_as_the_real_keras_call(tmp_path: Path) -> None:
    """fit, evaluate, predict (and their batch forms) return what the real calls return for
    the model's compile settings (no metrics; a named and a made one) and the data given; a
    folder that is not there is made and read by the real loader, as the same folder made by hand is; get_file gives a folder when
    asked to extract, a file otherwise; arrays are writable."""
    script = tmp_path / "stand_ins.py"
    script.write_text(STAND_INS)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, env={**os.environ}
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.splitlines()[-1])
    different = {name: pair for name, pair in results.items() if pair[0] != pair[1]}
    assert not different, different
    assert len(results) == 2 * 9 + 5 + 3


KERAS2 = dedent(
    """\
    import numpy as np
    from keras.layers.core import Dense, Dropout
    from keras.layers.embeddings import Embedding
    from keras.layers.recurrent import GRU
    from keras.models import Sequential
    from keras.optimizers import Adam

    model = Sequential()
    model.add(Embedding(50, 8, batch_input_shape=(4, 6)))
    model.add(GRU(5, stateful=True))
    model.add(Dropout(0.1))
    model.add(Dense(1))
    model.compile(Adam(lr=0.01), "mse")
    model.fit(np.zeros((8, 6)), np.zeros(8), batch_size=4)
    """
)


def test_keras_2_code_is_proven_on_keras_2(tmp_path: Path) -> None:
    """Keras 2's module paths, arguments and stateful RNNs, which Keras 3 refuses, run on Keras 2
    (tf_keras, which scripts/test installs), and the verdict says so."""
    pytest.importorskip("tf_keras")
    verdict = proven(tmp_path, KERAS2)
    [model] = verdict.models
    text = format_verdict(verdict, "program.py")
    assert model.verdict == "equivalent", text
    assert "run on Keras 2 (tf_keras)" in text and "input (4, 6)" in text


def test_a_tree_shares_one_child_and_each_file_sees_only_its_own_world(tmp_path: Path) -> None:
    """Files of a tree are proven by one child in turn: what one program changes (its folder's
    module of a common name, Keras's float type, the environment, the working folder) is put
    back before the next, whose verdict is its own; the stand-ins stay for every file."""
    from seq2func.api import Batch, convert_paths
    from seq2func.types import Options

    for folder, width, extra in (
        ("a", 4, 'keras.config.set_floatx("float64")\nos.environ["SEEN"] = "a"\nos.chdir("/")\n'),
        ("b", 8, ""),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "helpers.py").write_text(f"WIDTH = {width}\n")
        (tmp_path / folder / "model.py").write_text(
            "import os\nimport keras\nimport tensorflow_datasets\nfrom helpers import WIDTH\n"
            + "WIDTH = WIDTH if tensorflow_datasets.load else 0\n"
            + extra
            + 'assert "SEEN" not in os.environ or WIDTH == 4\n'
            + "model = keras.Sequential([keras.layers.Dense(WIDTH, input_shape=(3,)), keras.layers.Dense(1)])\n"
        )
    report = convert_paths([str(tmp_path)], Options(), Batch(verify=VerifySettings(timeout=300)))
    verdicts = {Path(f.path).parent.name: f.verdict for f in report.files}
    first, second = verdicts["a"].models[0], verdicts["b"].models[0]  # type: ignore[union-attr]
    assert first.verdict == second.verdict == "equivalent"
    assert (first.original.params, first.original.inputs[0].dtype) == (3 * 4 + 4 + 5, "float64")
    assert (second.original.params, second.original.inputs[0].dtype) == (3 * 8 + 8 + 9, "float32")


def test_what_the_original_writes_in_its_folder_never_reaches_the_converted_program(tmp_path: Path) -> None:
    """A tuner keeps its state in the program's folder and reloads it on the next run instead
    of building a model: the converted program meets the folder the original met, and the
    verification leaves the folder as it found it."""
    original = dedent(
        """\
        import os
        import keras


        def build():
            return keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(1)])


        class Tuner:  # like KerasTuner's: the first run builds and saves, a later run reloads
            def __init__(self, make, folder):
                if os.path.exists(folder):
                    self.model = None
                else:
                    os.makedirs(folder)
                    self.model = make()


        tuner = Tuner(build, "tuner_state")
        """
    )
    verdict = proven(tmp_path, original)
    assert [m.verdict for m in verdict.models] == ["equivalent"], format_verdict(verdict, "program.py")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["program.py"]


def test_a_shape_read_through_a_project_wrapper_is_confirmed_by_running(tmp_path: Path) -> None:
    """`model-wrappers` names a project's function that returns a model with its input: the
    data its result is fed gives the shape, and the proof runs the project's function to
    confirm it."""
    (tmp_path / "mylib.py").write_text("def distill(model, temperature=1.0):\n    return model\n")
    original = dedent(
        """\
        import numpy as np
        import keras
        from mylib import distill
        features = np.random.rand(32, 12).astype("float32")
        student = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        small = distill(student, temperature=2.0)
        small.compile("adam", "mse")
        small.fit(features, features[:, 0], epochs=1, verbose=0)
        """
    )
    path = tmp_path / "program.py"
    path.write_text(original)
    result = convert_source(original, model_wrappers=frozenset({"mylib.distill"}))
    assert result.conversions, result.skips
    verdict = prove(
        path, original, result.new_text, VerifySettings(timeout=300), conversions=result.conversions
    )
    [model] = [m for m in verdict.models if m.site == 0]  # (and `small`, built from it)
    assert model.verdict == "equivalent", format_verdict(verdict, "program.py")
    assert model.shape_source == "data" and model.shape_confirmed, model.shape
    assert "input (None, 12) confirmed by running line 8" in model.shape


def test_a_block_a_factory_makes_and_applies_at_once_is_proven(tmp_path: Path) -> None:
    """keras.io's GauGAN style, `upsample_block(16)(inputs)`: the block takes the shape of the
    Input it is applied to, and the proof builds it by the program's own call."""
    original = dedent(
        """\
        import keras
        from keras import layers


        def upsample_block(filters):
            return keras.Sequential([layers.Conv2DTranspose(filters, 3, strides=2, padding="same"), layers.ReLU()])


        inputs = keras.Input(shape=(8, 8, 3))
        y = upsample_block(4)(inputs)
        """
    )
    verdict = proven(tmp_path, original)
    [model] = verdict.models
    assert model.verdict == "equivalent", format_verdict(verdict, "program.py")
    assert "input (None, 8, 8, 3)" in model.shape and "line 10" in model.shape, model.shape
