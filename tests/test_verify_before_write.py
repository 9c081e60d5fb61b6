"""Verify before write: a conversion reaches the disk only after it was proven against the
text that was read, so a faulty conversion is reported and never written."""

from pathlib import Path

import pytest

import seq2func.edits.render
from seq2func.cli import main

pytestmark = pytest.mark.tensorflow

MODEL = """\
from keras.layers import Dense
from keras.models import Sequential

model = Sequential()
model.add(Dense(4, activation="relu", input_shape=(3,)))
model.add(Dense(2))
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    return path


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Corrupt every conversion after it is made: relu becomes tanh."""
    splice = seq2func.edits.render.splice

    def corrupted(source: str, edits: list) -> str:  # type: ignore[type-arg]
        return splice(source, edits).replace('"relu"', '"tanh"')

    monkeypatch.setattr(seq2func.edits.render, "splice", corrupted)


@pytest.mark.usefixtures("faulty")
def test_in_place_faulty_conversion_is_not_written(
    model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should exit 1 with 'different' and leave the file byte for byte as it was."""
    assert main(["convert", "-i", "--verify", str(model_file)]) == 1
    err = capsys.readouterr().err
    assert "different" in err
    assert f"{model_file}: not written: the conversion is not equivalent" in err
    assert "0 files written" in err
    assert model_file.read_text() == MODEL


@pytest.mark.usefixtures("faulty")
def test_output_faulty_conversion_is_not_written(model_file: Path, tmp_path: Path) -> None:
    """Should not create -o when the conversion is different."""
    target = tmp_path / "out.py"
    assert main(["convert", "--verify", str(model_file), "-o", str(target)]) == 1
    assert not target.exists()


def test_in_place_verified_conversion_is_written(
    model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should write the file once the conversion is proven, and say so."""
    assert main(["convert", "-i", "--verify", str(model_file)]) == 0
    err = capsys.readouterr().err
    assert "equivalent" in err and f"{model_file}: written (verified)" in err
    assert "Model(inputs=inputs, outputs=x)" in model_file.read_text()


def test_unverifiable_is_held_back_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should not write (exit 3) when the program cannot run; --write-unverified writes it (still exit 3)."""
    path = tmp_path / "broken.py"
    # a package the model needs (one only plots read would be passed over)
    source = "from a_package_that_is_not_installed import activation\n" + MODEL.replace(
        '"relu"', "activation"
    )
    path.write_text(source)
    assert main(["convert", "-i", "--verify", str(path)]) == 3
    assert "could not verify" in capsys.readouterr().err
    assert path.read_text() == source
    assert main(["convert", "-i", "--verify", "--write-unverified", str(path)]) == 3
    assert "Model(inputs=inputs, outputs=x)" in path.read_text()


def test_check_fix_verify_rejects_tampered_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Should not write a fix that changes more than the sharing of weights."""
    source = (
        "from keras.layers import Concatenate, Dense, Input\n\n\n"
        "def branch(t):\n    return Dense(4, activation='relu')(t)\n\n\n"
        "a = Input((3,))\nb = Input((3,))\ny = Concatenate()([branch(a), branch(b)])\n"
        "import keras\nmodel = keras.Model([a, b], y)\n"
    )
    path = tmp_path / "dup.py"
    path.write_text(source)
    splice = seq2func.edits.render.splice
    monkeypatch.setattr(
        seq2func.edits.render, "splice", lambda s, e: splice(s, e).replace("'relu'", "'tanh'")
    )
    assert main(["check", "--fix", "--verify", str(path)]) == 1
    assert "not written" in capsys.readouterr().err
    assert path.read_text() == source
