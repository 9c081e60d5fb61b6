"""Verification against real TensorFlow/Keras (marked `tensorflow`; CI runs them)."""

from pathlib import Path
from textwrap import dedent

import pytest

from seq2func import check_source, convert_file
from seq2func.types import Exit
from seq2func.verify.report import format_verdict
from seq2func.verify.runner import verify_programs

pytestmark = [pytest.mark.tensorflow, pytest.mark.usefixtures("one_verifier")]
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONVERTIBLE = sorted(p for p in SAMPLES.glob("*.py") if p.name != "seed_wrong_rewrite.py")


@pytest.mark.parametrize("path", CONVERTIBLE, ids=lambda p: p.name)
def test_samples_verify_equivalent(path: Path) -> None:
    """Should prove every converted sample equivalent to its original."""
    verdict = verify_programs(path, converted_source=convert_file(path).new_text, timeout=240)
    assert verdict.status == "ok", verdict.message
    assert verdict.models
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, path.name)


def test_seed_counts_and_sharing() -> None:
    """Should keep the seed's 3,103,299 parameters after conversion."""
    path = SAMPLES / "seed_sequential.py"
    verdict = verify_programs(path, converted_source=convert_file(path).new_text, timeout=240)
    model = next(m for m in verdict.models if m.name == "model")
    assert model.original.params == model.converted.params == 3_103_299


def test_seed_wrong_rewrite_is_different() -> None:
    """Should call the seed's hand rewrite different and explain the 5.47x duplication."""
    verdict = verify_programs(SAMPLES / "seed_sequential.py", SAMPLES / "seed_wrong_rewrite.py", timeout=240)
    assert verdict.exit_code == Exit.CHANGED
    model = verdict.models[0]
    assert model.converted.params == 16_976_899
    assert model.reasons[0] == "converted has 16,976,899 parameters, 5.47x the original's 3,103,299."
    assert "exist 6 times in the converted model but once, shared by 6 inputs" in model.reasons[1]


ORIGINAL = """\
import keras
model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)), keras.layers.Dense(2)])
"""


DROPOUT = """\
import keras
model = keras.Sequential(
    [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dropout(0.5), keras.layers.Dense(2)], name="encoder"
)
"""


@pytest.mark.parametrize(
    ("original", "converted", "failing"),
    [
        pytest.param(
            ORIGINAL, ORIGINAL.replace('"relu"', '"tanh"'), {"outputs agree", "layers"}, id="activation"
        ),
        pytest.param(
            ORIGINAL,
            ORIGINAL.replace("Dense(4", "Dense(5"),
            {"parameters", "weights", "outputs agree", "layers"},
            id="units",
        ),
        # invisible in outputs with training=False: only the configurations tell
        pytest.param(DROPOUT, DROPOUT.replace("0.5", "0.1"), {"layers"}, id="dropout-rate"),
        pytest.param(DROPOUT, DROPOUT.replace(', name="encoder"', ""), {"name"}, id="model-name"),
        pytest.param(
            ORIGINAL.replace("Dense(2)", 'Dense(2, dtype="float64")'),
            ORIGINAL,
            {"outputs", "layers"},
            id="output-dtype",
        ),
    ],
)
def test_changes_are_different(tmp_path: Path, original: str, converted: str, failing: set) -> None:
    """Should report a changed activation, unit count, dropout rate, model name or dtype as different."""
    (tmp_path / "a.py").write_text(original)
    (tmp_path / "b.py").write_text(converted)
    verdict = verify_programs(tmp_path / "a.py", tmp_path / "b.py", timeout=240)
    assert verdict.exit_code == Exit.CHANGED
    assert {c.what for c in verdict.models[0].comparisons if not c.ok} == failing


def test_training_after_model_runs_offline(tmp_path: Path) -> None:
    """Should not need the data download and training that follow the model."""
    script = ORIGINAL + (
        "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "model.compile('adam', 'mse')\n"
        "model.fit(x_train, y_train, epochs=100)\n"
    )
    (tmp_path / "train.py").write_text(script)
    code = convert_file(tmp_path / "train.py").new_text
    verdict = verify_programs(tmp_path / "train.py", converted_source=code, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "train.py")


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        # the stand-in data has the real split's size, so code that reshapes by the count runs
        pytest.param("x_train = x_train.reshape(60000, 784) / 255\n", Exit.OK, id="reshaped-by-the-count"),
        # a failing step leaves its names unbound: the model is fed nothing rather than stale data
        pytest.param(
            "x_train = x_train.reshape(70000, 784) / 255\n", Exit.NOT_VERIFIED, id="a-step-that-fails"
        ),
    ],
)
def test_data_the_model_is_fed_is_what_the_program_computes(
    tmp_path: Path, prepare: str, expected: int
) -> None:
    script = (
        "import keras\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        + prepare
        + "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\n"
        "model.compile('adam', 'mse')\nmodel.fit(x_train, y_train)\n"
    )
    (tmp_path / "train.py").write_text(script)
    result = convert_file(tmp_path / "train.py")
    assert "Input(shape=(784,))" in result.new_text
    verdict = verify_programs(tmp_path / "train.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == expected, format_verdict(verdict, "train.py")


def test_a_model_neither_program_builds_is_passed_over(tmp_path: Path) -> None:
    """A Sequential left as it is for want of a shape is never built: the other models are
    still compared, and the verdict says why that one is not."""
    (tmp_path / "two.py").write_text(
        "import keras\n"
        "unbuilt = keras.Sequential([keras.layers.Dense(2)])\n"
        "model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\n"
    )
    result = convert_file(tmp_path / "two.py")
    assert [s.code for s in result.skips] == ["input-shape-unknown"]
    verdict = verify_programs(tmp_path / "two.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "two.py")
    assert [m.name for m in verdict.models] == ["model"]
    assert any(note.startswith("unbuilt: neither program") for note in verdict.notes)


def test_a_model_left_unbuilt_by_the_conversion_is_built_and_compared(tmp_path: Path) -> None:
    """`Sequential(model_a.layers[:-1])` takes its input from the first layer's input_shape=,
    which the conversion of model_a moves to its Input: that model is built for the
    comparison, and the verdict says so."""
    (tmp_path / "reuse.py").write_text(
        "import keras\n"
        "model_a = keras.Sequential()\n"
        "model_a.add(keras.layers.Flatten(input_shape=(2, 2)))\n"
        "model_a.add(keras.layers.Dense(3))\n"
        "model_a.add(keras.layers.Dense(1))\n"
        "model_b = keras.Sequential(model_a.layers[:-1])\n"
        "model_b.add(keras.layers.Dense(2))\n"
    )
    result = convert_file(tmp_path / "reuse.py")
    assert "model_a.layers[1:-1]" in result.new_text
    verdict = verify_programs(tmp_path / "reuse.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "reuse.py")
    model_b = next(m for m in verdict.models if m.name == "model_b")
    assert any("the converted model was not built by Keras" in note for note in model_b.notes)


def test_no_model_built_could_not_verify(tmp_path: Path) -> None:
    (tmp_path / "none.py").write_text(
        dedent(
            """\
        import keras
        unbuilt = keras.Sequential([keras.layers.Dense(2)])
        """
        )
    )
    verdict = verify_programs(tmp_path / "none.py", tmp_path / "none.py", timeout=240)
    assert verdict.exit_code == Exit.NOT_VERIFIED
    assert "no model to compare: unbuilt: neither program" in (verdict.message or "")


@pytest.mark.parametrize(
    ("program", "needle"),
    [
        pytest.param(
            "from not_a_module_s2f import build\nm = build()\n",
            "ModuleNotFoundError",
            id="an-import-the-model-needs",
        ),
        pytest.param(
            "import keras\ndef shape():\n    raise RuntimeError('boom')\n"
            "m = keras.Sequential([keras.layers.Dense(1, input_shape=shape())])\n",
            "boom",
            id="exception",
        ),
        pytest.param(
            dedent(
                """\
            import keras
            import time
            time.sleep(60)
            """
            ),
            "timed out",
            id="timeout",
        ),
    ],
)
def test_failures_could_not_verify(tmp_path: Path, program: str, needle: str) -> None:
    """Should say 'could not verify' (exit 2) with the reason when user code fails or hangs."""
    (tmp_path / "p.py").write_text(program)
    # the timeout decides only the hang's case; the others have time to spare on a loaded machine
    verdict = verify_programs(
        tmp_path / "p.py", tmp_path / "p.py", timeout=15 if needle == "timed out" else 300
    )
    assert verdict.exit_code == Exit.NOT_VERIFIED
    assert needle in (verdict.message or "")
    if needle == "ModuleNotFoundError":  # a package this environment lacks: the project's has it
        assert verdict.hints == ("python",)


@pytest.mark.parametrize("path", CONVERTIBLE, ids=lambda p: p.name)
def test_samples_verify_equivalent_shared_style(path: Path) -> None:
    """Should prove every shared-style conversion (or its Model-style fallback) equivalent."""
    shared = convert_file(path, style="shared").new_text
    if shared == convert_file(path).new_text:  # every model fell back to the Model style
        pytest.skip("the same program as the default style's, proven by test_samples_verify_equivalent")
    verdict = verify_programs(path, converted_source=shared, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, path.name)


def test_seed_shared_style_counts() -> None:
    """Should keep exactly 3,103,299 parameters, with no nested model left in the converted summary."""
    path = SAMPLES / "seed_sequential.py"
    verdict = verify_programs(path, converted_source=convert_file(path, style="shared").new_text, timeout=240)
    model = next(m for m in verdict.models if m.name == "model")
    assert model.original.params == model.converted.params == 3_103_299
    names = [row.layer for row in model.rows.converted]
    assert names[:8] == ["conv1", "conv2", "conv3", "conv4", "pool1", "fla1", "dense1", "reshape"]
    assert not any(row.class_name in ("Sequential", "Functional") for row in model.rows.converted)
    assert any("lists 11 layers directly" in note for note in model.notes)


def test_check_fix_on_wrong_rewrite_verifies() -> None:
    """Should fix the seed's wrong rewrite into code equivalent to the Sequential program, and prove
    against the unfixed program that the fix only merged the copies (16,976,899 -> 3,103,299)."""
    fixed = check_source((SAMPLES / "seed_wrong_rewrite.py").read_text(), fix=True).new_text
    against_seed = verify_programs(SAMPLES / "seed_sequential.py", converted_source=fixed, timeout=240)
    assert against_seed.exit_code == Exit.OK, format_verdict(against_seed, "fixed")
    sharing = verify_programs(
        SAMPLES / "seed_wrong_rewrite.py", converted_source=fixed, timeout=240, mode="sharing"
    )
    assert sharing.exit_code == Exit.OK, format_verdict(sharing, "fixed")
    model = sharing.models[0]
    assert (model.original.params, model.converted.params) == (16_976_899, 3_103_299)
    assert "16,976,899 -> 3,103,299" in format_verdict(sharing, "fixed")


def test_sharing_mode_rejects_other_changes() -> None:
    """Should not accept a 'fix' that also changes a layer, even if it merges copies."""
    fixed = check_source((SAMPLES / "seed_wrong_rewrite.py").read_text(), fix=True).new_text
    tampered = fixed.replace("Conv2D(64, 1, activation='relu'", "Conv2D(64, 1, activation='tanh'")
    assert tampered != fixed
    verdict = verify_programs(
        SAMPLES / "seed_wrong_rewrite.py", converted_source=tampered, timeout=240, mode="sharing"
    )
    assert verdict.exit_code == Exit.CHANGED
    failing = {c.what for c in verdict.models[0].comparisons if not c.ok}
    assert "layers" in failing and "parameters" in failing


def test_cli_check_fix_verify(tmp_path: Path, capsys) -> None:
    """`seq2func check --fix --verify` should write the fix and say the count drops to 3,103,299."""
    from seq2func.cli import main

    path = tmp_path / "wrong.py"
    path.write_text((SAMPLES / "seed_wrong_rewrite.py").read_text())
    assert main(["check", "--fix", "--verify", str(path)]) == 0
    err = capsys.readouterr().err
    assert "weights now shared, 16,976,899 -> 3,103,299 parameters" in err
    assert "conv2d = Conv2D(64, 5" in path.read_text()


KERAS2_STYLE = ["mlp_factory.py", "text_lstm.py", "tf_keras_mlp.py"]


def test_keras3_migration_fixes_verify_equivalent(tmp_path: Path, capsys) -> None:
    """`check --select S2F2 --fix --verify` on the Keras-2-style samples: each gets an Input
    first (S2F201 input_shape/input_dim, S2F202 Embedding(input_length)), proven the same network."""
    from seq2func.cli import main

    for name in KERAS2_STYLE:
        (tmp_path / name).write_text((SAMPLES / name).read_text())
    assert main(["check", "--select", "S2F2", "--fix", "--verify", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count(": equivalent (") == 3 and "Found 3 findings (3 fixed, 0 remaining)." in err
    assert (
        "model.add(Input(shape=(maxlen,)))\nmodel.add(Embedding(max_features, 16))"
        in (tmp_path / "text_lstm.py").read_text()
    )
    assert main(["check", "--select", "S2F2", str(tmp_path)]) == 0  # nothing left to report


# -- the verifier's own blind spots (issue: a proof with no blind spots) ------------------------

GLOBAL_KEPT = """\
import keras

x = 1


def build():
    global x
    x = 2
    return keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])


model = build()
assert x == 2
"""
FED = """\
import keras
import numpy as np

model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
X = np.random.rand(*(32, 8))[..., None]
model.predict(X)
"""
FUNCTIONAL_OF = """\
import keras
import numpy as np

inputs = keras.Input(shape={shape})
x = keras.layers.Dense(3)(inputs)
x = keras.layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=x)
"""
LAMBDA = """\
import keras

scale = 2.0
model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * scale), keras.layers.Dense(2)]
)
"""
EMBEDDING = """\
import keras

model = keras.Sequential(
    [keras.layers.Embedding(100, 8), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)]
)
tokens = keras.Input(shape=(10,), dtype="int32")
out = model(tokens)
"""
BLIND_SPOTS = [
    pytest.param(
        GLOBAL_KEPT,
        GLOBAL_KEPT.replace(
            "    return keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])", ""
        ).replace(
            "    x = 2\n",
            "    x = 2\n    inputs = keras.Input(shape=(4,))\n    x = keras.layers.Dense(3)(inputs)\n    return keras.Model(inputs, x)\n",
        ),
        Exit.CHANGED,
        ["raised AssertionError after the conversion", "x is 2 in the original, and a KerasTensor"],
        id="a-global-clobbered",
    ),
    pytest.param(
        FED,
        FUNCTIONAL_OF.format(shape="(1,)") + "X = np.random.rand(*(32, 8))[..., None]\nmodel.predict(X)\n",
        Exit.CHANGED,
        ["line 9 raised ValueError", "after the conversion (line 6 of the original ran)"],
        id="a-shape-the-data-does-not-fit",
    ),
    pytest.param(
        FED,
        FUNCTIONAL_OF.format(shape="(8, 1)") + "X = np.random.rand(*(32, 8))[..., None]\nmodel.predict(X)\n",
        Exit.OK,
        ["equivalent"],
        id="the-shape-the-data-has",
    ),
    pytest.param(
        FED.replace("X = np.random.rand(*(32, 8))[..., None]\nmodel.predict(X)\n", ""),
        FUNCTIONAL_OF.format(shape="(5,)"),
        Exit.NOT_VERIFIED,
        ["could not verify model", "never builds model nor feeds it data"],
        id="a-shape-nothing-proves",
    ),
    pytest.param(LAMBDA, None, Exit.OK, ["layers: 2 / 2 layers, same classes"], id="a-lambda-moved"),
    pytest.param(
        LAMBDA.replace("t * scale", "t * scale + 1"),
        LAMBDA,
        Exit.CHANGED,
        ["its function computes something else"],
        id="a-lambda-changed",
    ),
    pytest.param(
        LAMBDA.replace("scale = 2.0", "scale = 3.0"),
        LAMBDA,
        Exit.CHANGED,
        ["its function computes something else"],
        id="a-lambda-reading-another-global",
    ),
    pytest.param(
        EMBEDDING, None, Exit.OK, ["the original program calls it on int32 tensors"], id="int-tokens"
    ),
]


@pytest.mark.parametrize(("original", "converted", "exit_code", "said"), BLIND_SPOTS)
def test_what_the_verifier_blesses_is_equivalent(
    tmp_path: Path, original: str, converted: str | None, exit_code: int, said: list[str]
) -> None:
    """Should call a conversion equivalent only when the program does the same: the same
    statements run, the same globals hold, the shape comes from the original program, a
    Lambda computes the same, inputs take what the original is called on."""
    (tmp_path / "original.py").write_text(original)
    code = converted if converted is not None else convert_file(tmp_path / "original.py").new_text
    verdict = verify_programs(tmp_path / "original.py", converted_source=code, timeout=240)
    text = format_verdict(verdict, "original.py")
    assert verdict.exit_code == exit_code, text
    for words in said:
        assert words in text


@pytest.mark.tensorflow
def test_a_plotting_package_the_environment_lacks_does_not_stop_the_proof(tmp_path: Path) -> None:
    """An import that fails is passed over when only plots read it; the proof goes on."""
    (tmp_path / "train.py").write_text(
        dedent(
            """\
            import seq2func_absent_plotting as plt
            import numpy as np
            import keras

            x = np.ones((8, 5))
            model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
            model.compile("adam", "mse")
            history = model.fit(x, x[:, 0], verbose=0)

            def show(h):
                plt.plot(h.history["loss"])

            show(history)
            """
        )
    )
    result = convert_file(tmp_path / "train.py")
    verdict = verify_programs(tmp_path / "train.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "train.py")
    assert any("skipped line 1, which raised ModuleNotFoundError" in note for note in verdict.notes)


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("converted_input", "expected"),
    [
        pytest.param("keras.Input(shape=(8,))", Exit.OK, id="batch-left-open"),
        pytest.param("keras.Input(shape=(8,), batch_size=2)", Exit.CHANGED, id="another-batch-size"),
        pytest.param("keras.Input(shape=(9,))", Exit.CHANGED, id="another-width"),
    ],
)
def test_a_sequential_built_by_a_call_keeps_that_batch_size(
    tmp_path: Path, converted_input: str, expected: int
) -> None:
    """Keras fixes the batch size of a Sequential first built by calling it on a batch (1
    here); the Input a conversion writes leaves it open: the same network, and nothing else is."""
    original = dedent(
        """\
        import numpy as np
        import keras

        policy = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
        probs = policy(np.zeros((1, 8), dtype="float32"))
        """
    )
    converted = original.replace(
        "policy = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])",
        f"inputs = {converted_input}\nx = keras.layers.Dense(4)(inputs)\n"
        "x = keras.layers.Dense(2)(x)\npolicy = keras.Model(inputs, x)",
    )
    (tmp_path / "policy.py").write_text(original)
    verdict = verify_programs(tmp_path / "policy.py", converted_source=converted, timeout=240)
    assert verdict.exit_code == expected, format_verdict(verdict, "policy.py")


@pytest.mark.tensorflow
def test_a_scikit_learn_download_is_stood_in_for(tmp_path: Path) -> None:
    """fetch_california_housing downloads; offline it gives zeros of its documented shape."""
    pytest.importorskip("sklearn")
    (tmp_path / "housing.py").write_text(
        dedent(
            """\
            from sklearn.datasets import fetch_california_housing
            import keras

            housing = fetch_california_housing()
            model = keras.Sequential([keras.layers.Dense(30, activation="relu"), keras.layers.Dense(1)])
            model.compile(loss="mse", optimizer="sgd")
            model.fit(housing.data, housing.target, epochs=20)
            """
        )
    )
    result = convert_file(tmp_path / "housing.py")
    assert "Input(shape=(8,))" in result.new_text
    verdict = verify_programs(tmp_path / "housing.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "housing.py")


@pytest.mark.tensorflow
def test_a_model_fit_on_an_augmenting_generator_is_built_from_its_first_batch(tmp_path: Path) -> None:
    (tmp_path / "augment.py").write_text(
        dedent(
            """\
            import numpy as np
            from tensorflow import keras
            from tensorflow.keras.preprocessing.image import ImageDataGenerator

            x = np.zeros((16, 12, 12, 3), dtype="float32")
            y = np.zeros((16,))
            datagen = ImageDataGenerator(horizontal_flip=True)
            model = keras.Sequential([keras.layers.Conv2D(4, 3), keras.layers.Flatten(), keras.layers.Dense(1)])
            model.compile("adam", "mse")
            model.fit(datagen.flow(x, y, batch_size=4), epochs=3)
            """
        )
    )
    result = convert_file(tmp_path / "augment.py")
    assert "Input(shape=(12, 12, 3))" in result.new_text
    verdict = verify_programs(tmp_path / "augment.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "augment.py")
    assert [m.verdict for m in verdict.models] == ["equivalent"]


@pytest.mark.tensorflow
def test_the_cli_proves_a_merge_of_duplicate_layers_with_mode_sharing(tmp_path: Path, capsys) -> None:
    """`verify --mode sharing` proves what `check --fix` did; the default mode calls it different."""
    from seq2func.cli import main

    wrong = Path(__file__).resolve().parent.parent / "samples" / "seed_wrong_rewrite.py"
    fixed = tmp_path / "fixed.py"
    fixed.write_text(check_source(wrong.read_text(), fix=True).new_text)
    assert main(["verify", "--mode", "sharing", "--no-table", str(wrong), str(fixed)]) == Exit.OK
    assert "weights now shared, 16,976,899 -> 3,103,299 parameters" in capsys.readouterr().out
    assert main(["verify", "--no-table", str(wrong), str(fixed)]) == Exit.CHANGED


@pytest.mark.tensorflow
def test_a_downloaded_folder_of_images_is_stood_in_for(tmp_path: Path) -> None:
    """TensorFlow's image tutorial: get_file downloads a folder that image_dataset_from_directory
    reads; offline the folder is empty and the dataset zeros of the declared image size."""
    (tmp_path / "flowers.py").write_text(
        dedent(
            """\
            import pathlib

            import tensorflow as tf
            from tensorflow.keras import layers

            url = "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz"
            data_dir = pathlib.Path(tf.keras.utils.get_file("flower_photos.tar", origin=url, extract=True))
            train_ds = tf.keras.utils.image_dataset_from_directory(data_dir.with_suffix(""), image_size=(32, 32))
            model = tf.keras.Sequential([layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(5)])
            model.compile(optimizer="adam", loss="mse")
            model.fit(train_ds, epochs=2)
            """
        )
    )
    result = convert_file(tmp_path / "flowers.py")
    assert "Input(shape=(32, 32, 3))" in result.new_text
    verdict = verify_programs(tmp_path / "flowers.py", converted_source=result.new_text, timeout=240)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "flowers.py")
    assert [m.verdict for m in verdict.models] == ["equivalent"]


@pytest.mark.tensorflow
def test_a_factory_the_program_calls_in_main_is_built_that_way(tmp_path: Path) -> None:
    """Should build a model that only `main()` makes by the call `main()` makes, in both
    programs, and say so (before: could not verify, no module-level model)."""
    from seq2func.api import convert_source, prove

    source = dedent(
        """\
        import keras


        def build_model(width):
            model = keras.Sequential()
            model.add(keras.layers.Dense(width, input_shape=(4,)))
            model.add(keras.layers.Dense(1))
            return model


        def main():
            model = build_model(8)
            model.compile("adam", "mse")
        """
    )
    converted = convert_source(source).new_text
    verdict = prove(tmp_path / "factory.py", source, converted)
    assert verdict.word == "equivalent", format_verdict(verdict, "factory.py")
    assert verdict.notes[0].startswith("built by calling build_model(8) in both programs")
    wrong = converted.replace("Dense(1)", "Dense(2)")
    assert prove(tmp_path / "factory.py", source, wrong).word == "different"  # the call really compares
