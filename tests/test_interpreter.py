"""`--python` / `[tool.seq2func] python`: the program runs (--verify, --infer-shapes) in the
project's interpreter, which has the project's packages and need not have seq2func."""

from __future__ import annotations

import os
import re
import site
import subprocess
import sys
import venv
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func.cli import main
from seq2func.config import ConfigError, settings_for
from seq2func.verify.runner import interpreter_problem


def make_env(where: Path, *, with_tensorflow: bool) -> Path:
    """A virtual environment without pip (fast); with TensorFlow, this one's packages are on
    its path through a plain .pth line, whose own .pth files (seq2func's editable install
    among them) Python does not read: seq2func cannot be imported there."""
    venv.create(where, with_pip=False)
    python = where / "bin" / "python"
    packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    if with_tensorflow:
        (packages / "borrowed.pth").write_text(site.getsitepackages()[0] + "\n")
    # a package of the project's own, which seq2func's interpreter does not have
    (packages / "projectlib.py").write_text(
        "import numpy as np\n\ndef load():\n    return np.ones((16, 7))\n"
    )
    return python


def test_the_config_file_names_an_interpreter_beside_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.seq2func]\npython = ".venv/bin/python"\n')
    (tmp_path / "model.py").write_text("")
    with pytest.raises(ConfigError, match="is not an interpreter that can run"):  # checked when read
        settings_for([str(tmp_path / "model.py")])
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    settings = settings_for([str(tmp_path / "model.py")])
    expected = os.path.join(os.path.abspath(tmp_path), ".venv/bin/python")  # joined, never resolved
    assert settings.verify.python == settings.options.infer_python == expected
    flagged = settings_for([str(tmp_path / "model.py")], python=sys.executable)
    assert flagged.verify.python == flagged.options.infer_python == sys.executable


@pytest.mark.parametrize("value", ["", 3, ["python"]])
def test_a_bad_interpreter_setting_is_an_error(tmp_path: Path, value: object) -> None:
    from seq2func.config import settings_from_config

    with pytest.raises(ConfigError, match="python takes the path of a Python interpreter"):
        settings_from_config({"python": value})


def test_an_interpreter_that_cannot_run_the_program_says_why(tmp_path: Path) -> None:
    assert "cannot run the interpreter" in (interpreter_problem(str(tmp_path / "missing")) or "")
    bare = make_env(tmp_path / "bare", with_tensorflow=False)
    assert "has neither TensorFlow nor Keras" in (interpreter_problem(str(bare)) or "")
    assert interpreter_problem(sys.executable) is None or "TensorFlow" in (
        interpreter_problem(sys.executable) or ""
    )


@pytest.mark.tensorflow
def test_the_project_interpreter_runs_what_seq2funcs_cannot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The program imports a package only the project's environment has: with --python, the
    shape is learnt by running it there and the conversion is proven there; seq2func is not
    installed in that environment."""
    python = make_env(tmp_path / "env", with_tensorflow=True)
    seq2func_missing = subprocess.run([python, "-c", "import seq2func"], cwd=tmp_path, capture_output=True)
    assert seq2func_missing.returncode != 0
    program = tmp_path / "train.py"
    source = dedent(
        """\
        from projectlib import load
        from tensorflow import keras

        x = load()
        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(x, x[:, 0], epochs=1, verbose=0)
        """
    )
    program.write_text(source)

    main(["convert", "--infer-shapes", "--verify", "-i", str(program)])  # seq2func's own: no projectlib
    err = capsys.readouterr().err
    assert program.read_text() == source
    assert "No module named 'projectlib'" in err
    assert "pass --python with the project's interpreter" in err
    assert "--infer-shapes to learn it" not in err  # it was tried

    code = main(["convert", "--infer-shapes", "--verify", "--python", str(python), "-i", str(program)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert re.search(r"\bmodel \(line \d+\): equivalent", err), err
    assert "keras.Input(shape=(7,))" in program.read_text()

    # a package the given interpreter lacks too: install it there (--python was followed)
    program.write_text(source.replace("from projectlib import load", "from nowhere_lib import load"))
    main(["convert", "--infer-shapes", "--verify", "--python", str(python), "-i", str(program)])
    err = capsys.readouterr().err
    assert "No module named 'nowhere_lib'" in err
    assert "install the package it names in the interpreter that --python" in err, err
    assert "pass --python" not in err


def test_an_interpreter_flag_that_names_no_file_is_a_usage_error(tmp_path: Path) -> None:
    program = tmp_path / "m.py"
    program.write_text("import keras\nm = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])\n")
    code = main(
        ["convert", "--verify", "--check", "--python", str(tmp_path / "absent" / "python"), str(program)]
    )
    assert code == 2
