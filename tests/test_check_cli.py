"""`seq2func check` and `convert --style shared` from the command line."""

import json
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func.cli import main

DUPLICATING = """\
from keras.layers import Concatenate, Dense, Input


def branch(t):
    return Dense(4)(t)


a = Input((3,))
b = Input((3,))
y = Concatenate()([branch(a), branch(b)])
"""
FIXED = """\
from keras.layers import Concatenate, Dense, Input


dense = Dense(4)


def branch(t):
    return dense(t)


a = Input((3,))
b = Input((3,))
y = Concatenate()([branch(a), branch(b)])
"""
MESSAGE = (
    "4:1: S2F101 branch() creates 1 layer on every call; it is called 2 times (line 10), so the model "
    "holds 2 separate copies (weights not shared). Instantiate the layers once to share them."
)


@pytest.fixture
def dup(tmp_path: Path) -> Path:
    path = tmp_path / "dup.py"
    path.write_text(DUPLICATING)
    return path


def test_check_reports_and_exits_1(dup: Path, capsys) -> None:
    """Should print path:line:col: CODE message and exit 1, writing nothing."""
    assert main(["check", str(dup)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{dup}:{MESSAGE}\n"
    assert "Found 1 finding (1 fixable with --fix)." in err
    assert dup.read_text() == DUPLICATING


def test_check_diff_previews(dup: Path, capsys) -> None:
    """Should print the fix as a diff on stdout and leave the file alone."""
    assert main(["check", "--diff", str(dup)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"--- {dup}\n+++ {dup}\n") and "+dense = Dense(4)\n" in out
    assert "S2F101" in err and dup.read_text() == DUPLICATING


def test_check_fix_writes_and_then_is_clean(dup: Path, capsys) -> None:
    """Should rewrite the file like `ruff check --fix`, exit 0, and find nothing afterwards."""
    assert main(["check", "--fix", str(dup)]) == 0
    assert dup.read_text() == FIXED
    assert "(fixed)" in capsys.readouterr().out
    assert main(["check", str(dup)]) == 0
    assert "No findings." in capsys.readouterr().err


def test_check_fix_from_stdin(monkeypatch, capsys) -> None:
    """Should read - from stdin and write the fixed code to stdout, findings to stderr."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DUPLICATING.encode())))
    assert main(["check", "--fix", "-"]) == 0
    out, err = capsys.readouterr()
    assert out == FIXED and "S2F101" in err


def test_check_json(dup: Path, capsys) -> None:
    """Should report findings as JSON with their fixability."""
    assert main(["check", "--json", str(dup)]) == 1
    data = json.loads(capsys.readouterr().out)
    [finding] = data["files"][0]["findings"]
    assert (finding["line"], finding["column"], finding["code"], finding["fixable"]) == (4, 1, "S2F101", True)
    assert {k: data["summary"][k] for k in ("findings", "remaining", "fixed", "failed")} == {
        "findings": 1,
        "remaining": 1,
        "fixed": 0,
        "failed": 0,
    }


def test_check_suppression_and_select(dup: Path, capsys) -> None:
    """Should honour `# seq2func: ignore[S2F101]` and --ignore."""
    assert main(["check", "--ignore", "S2F101", str(dup)]) == 0
    dup.write_text(DUPLICATING.replace("def branch(t):", "def branch(t):  # seq2func: ignore[S2F101]"))
    assert main(["check", str(dup)]) == 0


def test_check_usage_and_parse_errors(dup: Path, tmp_path: Path) -> None:
    """Should exit 2 on bad option combinations and 123 on a file that does not parse."""
    assert main(["check", "--verify", str(dup)]) == 2
    assert main(["check", "--fix", "--diff", str(dup)]) == 2
    broken = tmp_path / "broken.py"
    broken.write_text(
        dedent(
            """\
        import keras
        def f(:
        """
        )
    )
    assert main(["check", str(broken)]) == 123


def test_convert_shared_style(tmp_path: Path, capsys) -> None:
    """Should write the shared style with --style shared and say so."""
    path = tmp_path / "m.py"
    path.write_text(
        dedent(
            """\
        import keras
        m = keras.Sequential([keras.layers.Dense(1)])
        y = m(keras.Input((2,)))
        """
        )
    )
    assert main(["convert", "--style", "shared", str(path)]) == 0
    out, err = capsys.readouterr()
    assert (
        dedent(
            """\
        dense = keras.layers.Dense(1)


        def m(x):
            x = dense(x)
            return x
        """
        )
        in out
    )
    assert "converted m (1 layer; to shared layers" in err


def test_convert_notes_fallback_and_findings(tmp_path: Path, capsys) -> None:
    """Should say why a model stays a Model, and report S2F101 in the file it converts."""
    path = tmp_path / "m.py"
    path.write_text(
        dedent(
            """\
            import keras
            m = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
            m.summary()
            """
        )
        + DUPLICATING
    )
    assert main(["convert", "--style", "shared", str(path)]) == 0
    err = capsys.readouterr().err
    assert "note: kept as a Model, not shared layers: m.summary() at line 3 needs a Model object" in err
    assert ": S2F101 branch() creates 1 layer" in err


def test_style_from_pyproject(tmp_path: Path, capsys) -> None:
    """Should read `style = "shared"` from [tool.seq2func]."""
    (tmp_path / "pyproject.toml").write_text('[tool.seq2func]\nstyle = "shared"\n')
    path = tmp_path / "m.py"
    path.write_text(
        dedent(
            """\
        import keras
        m = keras.Sequential([keras.layers.Dense(1)])
        y = m(keras.Input((2,)))
        """
        )
    )
    assert main(["convert", str(path)]) == 0
    assert "def m(x):" in capsys.readouterr().out


def test_check_on_a_named_file_without_keras(tmp_path: Path, capsys) -> None:
    """A file named on the command line that never mentions Keras: no findings, exit 0
    (it used to trip an assertion, as pre-commit passes every staged file)."""
    path = tmp_path / "plain.py"
    path.write_text("x = 1\n")
    assert main(["check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == [] and report["summary"]["remaining"] == report["summary"]["findings"] == 0
    assert main(["check", str(path)]) == 0
    assert "No findings." in capsys.readouterr().err


def test_check_takes_jobs_like_convert(tmp_path, capsys) -> None:
    """Should give the same findings with -j 2 as with -j 1 over a tree."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    for name in ("seed_wrong_rewrite.py", "mlp_factory.py", "seed_sequential.py"):
        (tmp_path / name).write_text((samples / name).read_text())
    runs = []
    for jobs in ("1", "2"):
        capsys.readouterr()
        assert main(["check", "-j", jobs, str(tmp_path)]) == 1
        runs.append(sorted(capsys.readouterr().out.splitlines()))
    assert runs[0] == runs[1] and any("S2F101" in line for line in runs[0])
