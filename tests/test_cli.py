"""The command line, called as `main([...])`: outputs, exit codes, files and config."""

import gc
import json
import os
import stat
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func.cli import main

MODEL = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    """
)
UNKNOWN = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(1)])
    """
)


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    return path


@pytest.mark.parametrize("enabled", [True, False])
def test_the_callers_collector_is_left_as_it_was(model_file: Path, enabled: bool, capsys) -> None:
    """Should give a caller in the same process its cyclic collector back as it was: the
    run collects less often and freezes what its imports made, only while it runs."""
    before = gc.get_threshold()
    (gc.enable if enabled else gc.disable)()
    try:
        assert main(["convert", str(model_file)]) == 0
        assert "Model(inputs=inputs" in capsys.readouterr().out
        assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == (enabled, before, 0)
    finally:
        gc.enable()


def test_prints_converted_code(model_file: Path, capsys) -> None:
    """Should print the converted file to stdout and what it did to stderr."""
    assert main(["convert", str(model_file)]) == 0
    out, err = capsys.readouterr()
    assert "m = keras.Model(inputs=inputs, outputs=x)" in out
    assert "model.py:2:5: converted m (1 layer" in err
    assert model_file.read_text() == MODEL


def test_check_exits_1(model_file: Path, capsys) -> None:
    """Should exit 1 under --check when something would change, and write nothing."""
    assert main(["convert", "--check", str(model_file)]) == 1
    assert model_file.read_text() == MODEL
    assert "would convert" in capsys.readouterr().err


def test_diff(model_file: Path, capsys) -> None:
    """Should print a unified diff."""
    assert main(["convert", "--diff", str(model_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {model_file}\n+++ {model_file}\n")
    assert "-m = keras.Sequential(" in out


def test_in_place_keeps_mode(model_file: Path) -> None:
    """Should rewrite in place, keeping the file mode, and leave unchanged files untouched."""
    os.chmod(model_file, 0o640)
    assert main(["convert", "-i", str(model_file)]) == 0
    assert "keras.Model(" in model_file.read_text()
    assert stat.S_IMODE(model_file.stat().st_mode) == 0o640
    before = model_file.stat().st_mtime_ns
    assert main(["convert", "-i", str(model_file)]) == 0
    assert model_file.stat().st_mtime_ns == before


def test_output_file(model_file: Path, tmp_path: Path) -> None:
    """Should write the one converted file to -o."""
    target = tmp_path / "out.py"
    assert main(["convert", str(model_file), "-o", str(target)]) == 0
    assert "keras.Model(" in target.read_text()


def test_stdin(monkeypatch, capsys) -> None:
    """Should read - from stdin and write the result to stdout."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MODEL.encode())))
    assert main(["convert", "-"]) == 0
    assert "keras.Model(" in capsys.readouterr().out


def test_json_report(tmp_path: Path, capsys) -> None:
    """Should report conversions and skips with locations and reason codes as JSON."""
    (tmp_path / "a.py").write_text(MODEL)
    (tmp_path / "b.py").write_text(UNKNOWN)
    assert main(["convert", "--json", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    conversion = by_name["a.py"]["conversions"][0]
    assert (conversion["line"], conversion["column"], conversion["cell"]) == (2, 5, None)
    assert by_name["b.py"]["skips"][0]["code"] == "input-shape-unknown"
    assert report["summary"]["conversions"] == 1


def test_input_shape_option(tmp_path: Path, capsys) -> None:
    """Should take the input shape from --input-shape when the code gives none."""
    path = tmp_path / "m.py"
    path.write_text(UNKNOWN)
    assert main(["convert", str(path), "--input-shape", "28,28,1"]) == 0
    assert "inputs = keras.Input(shape=(28, 28, 1))" in capsys.readouterr().out


def test_line_selects_one_model(tmp_path: Path, capsys) -> None:
    """Should convert only the model that spans --line."""
    path = tmp_path / "m.py"
    path.write_text(MODEL + "n = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])\n")
    assert main(["convert", str(path), "--line", "3"]) == 0
    out = capsys.readouterr().out
    assert "m = keras.Sequential(" in out
    assert "n = keras.Model(" in out


def test_parse_error_exits_123(tmp_path: Path, capsys) -> None:
    """Should exit 123 with path:line:col when a file does not parse, and not touch it."""
    path = tmp_path / "bad.py"
    path.write_text(
        dedent(
            """\
        from keras import Sequential
        m = Sequential(
        """
        )
    )
    assert main(["convert", "-i", str(path)]) == 123
    assert path.read_text() == dedent(
        """\
        from keras import Sequential
        m = Sequential(
        """
    )
    assert f"{path}:" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """Should exit 2 on contradictory options or several files without an output mode."""
    (tmp_path / "a.py").write_text(MODEL)
    (tmp_path / "b.py").write_text(MODEL)
    assert main(["convert", "--diff", "--check", str(tmp_path / "a.py")]) == 2
    assert main(["convert", str(tmp_path)]) == 2


def test_walk_skips_venv_and_gitignored(tmp_path: Path, capsys) -> None:
    """Should skip .git, virtualenvs, build/ and .gitignore'd paths when walking a tree."""
    for rel in ("pkg/model.py", ".venv/lib/m.py", "build/m.py", "ignored/m.py", "env2/m.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(MODEL)
    (tmp_path / "env2" / "pyvenv.cfg").write_text("")
    (tmp_path / ".gitignore").write_text("ignored/\n")
    assert main(["convert", "--check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "pkg/model.py" in err
    assert ".venv" not in err and "build/" not in err and "ignored/" not in err and "env2" not in err


def test_config_from_pyproject(tmp_path: Path, capsys) -> None:
    """Should read [tool.seq2func] input-shape and [tool.black] line-length."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.seq2func]\ninput-shape = [4]\n[tool.black]\nline-length = 30\n"
    )
    path = tmp_path / "m.py"
    path.write_text(UNKNOWN)
    assert main(["convert", str(path)]) == 0
    out = capsys.readouterr().out
    assert "shape=(4,)" in out
    assert max(len(line) for line in out.splitlines()) <= 30


def test_keras_modules_from_pyproject(tmp_path: Path, capsys) -> None:
    """Should read [tool.seq2func] keras-modules (for convert and check), and refuse a bad one."""
    source = dedent(
        """\
        from mypkg.compat import keras
        m = keras.Sequential([keras.layers.Dense(2, input_dim=3)])
        """
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    assert main(["convert", str(path)]) == 0
    assert "[unknown-keras-module]" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text(
        dedent(
            """\
        [tool.seq2func]
        keras-modules = ["mypkg.compat.keras"]
        """
        )
    )
    assert main(["convert", str(path)]) == 0
    assert "m = keras.Model(inputs=inputs, outputs=x)" in capsys.readouterr().out
    (tmp_path / "pyproject.toml").write_text(
        dedent(
            """\
        [tool.seq2func]
        keras-modules = ["my pkg"]
        """
        )
    )
    assert main(["convert", str(path)]) == 2
    assert "keras-modules takes dotted module names" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "converted"),
    [
        ('["mylib.distill"]', True),
        ("[]", False),
        ('["distill"]', None),  # a function without its module: refused
        ('"mylib.distill"', True),  # one, as every list key takes it
        ("[3]", None),  # not strings
    ],
)
def test_model_wrappers_from_pyproject(tmp_path: Path, capsys, value: str, converted: bool | None) -> None:
    """Should follow a model through the functions [tool.seq2func] model-wrappers names to
    the data their result is fed, and refuse a bad value with exit 2."""
    source = dedent(
        """        import numpy as np
        import keras
        from mylib import distill
        m = keras.Sequential([keras.layers.Dense(2)])
        small = distill(m)
        small.fit(np.zeros((4, 3)), np.zeros(4))
        """
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    (tmp_path / "pyproject.toml").write_text(f"[tool.seq2func]\nmodel-wrappers = {value}\n")
    code = main(["convert", str(path)])
    out, err = capsys.readouterr()
    if converted is None:
        assert code == 2 and "model-wrappers takes" in err, err
    else:
        assert code == 0
        assert ("inputs = keras.Input(shape=(3,))" in out) is converted
        assert ("[input-shape-unknown]" in err) is not converted


def test_jobs_parallel(tmp_path: Path) -> None:
    """Should give the same results with several processes."""
    for i in range(12):
        (tmp_path / f"m{i}.py").write_text(MODEL)
    assert main(["convert", "-i", "-j", "2", str(tmp_path)]) == 0
    assert all("keras.Model(" in p.read_text() for p in tmp_path.glob("*.py"))


def test_import_does_not_load_tensorflow() -> None:
    """Should import seq2func (and its CLI) without importing TensorFlow or Keras."""
    import subprocess
    import sys

    code = (
        "import sys, seq2func, seq2func.cli; print([m for m in ('tensorflow', 'keras') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_line_that_holds_no_model_is_a_usage_error(tmp_path: Path, capsys) -> None:
    """`--line L` where no model's code spans L: exit 2, saying so (issue 39)."""
    path = tmp_path / "a.py"
    path.write_text("import keras\nx = 1\nmodel = keras.Sequential([keras.layers.Dense(2, input_dim=3)])\n")
    assert main(["convert", str(path), "--line", "99"]) == 2
    assert f"{path}: no Sequential model spans line 99" in capsys.readouterr().err
    assert main(["convert", str(path), "--line", "3"]) == 0


@pytest.mark.parametrize("shape", ["28,,28", "", "0,3", "(,)"])
def test_a_malformed_input_shape_is_refused(shape: str) -> None:
    """A shape with an empty or non-positive dimension is an error, never a shorter shape."""
    from seq2func.config import ConfigError, parse_shape

    with pytest.raises(ConfigError, match="is not a shape like"):
        parse_shape(shape)
