"""Every input is checked where it enters, the same in the CLI, the config file and the
library: a bad value is an error that names it (exit 2), never a silent default."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from seq2func import check_source, convert_source
from seq2func.cli import main

MODEL = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    """
)

# (CLI arguments, the same as a [tool.seq2func] line, the same as library keywords, words the error has)
BAD = [
    pytest.param(
        ["check", "--select", "S2F999"],
        'select = ["S2F999"]',
        {"select": ["S2F999"]},
        "unknown rule selector 'S2F999'",
        id="select",
    ),
    pytest.param(
        ["check", "--ignore", "XYZ"],
        'ignore = ["XYZ"]',
        {"ignore": ["XYZ"]},
        "unknown rule selector 'XYZ'",
        id="ignore",
    ),
    pytest.param(["convert", "--style", "bogus"], 'style = "bogus"', {"style": "bogus"}, "bogus", id="style"),
    pytest.param(
        ["convert", "--line-length", "5"], "line-length = 5", {"line_length": 5}, "line", id="line-length"
    ),
    pytest.param(
        ["convert", "--input-shape", "a,b"],
        'input-shape = "a,b"',
        {"input_shape": "a,b"},
        "is not a shape",
        id="input-shape",
    ),
    pytest.param(
        ["convert", "--input-shape", "28,,28"],
        'input-shape = "28,,28"',
        {"input_shape": "28,,28"},
        "is not a shape",
        id="input-shape-with-an-empty-dimension",
    ),
]


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        pytest.param(
            'input_shape = "3"',
            "unknown key input_shape (keys are written with dashes: input-shape)",
            id="underscores",
        ),
        pytest.param(
            "verify-timeout = -1", "verify-timeout takes a number of seconds above 0, not -1", id="timeout"
        ),
        pytest.param(
            'python = "nope/bin/python"',
            "nope/bin/python is not an interpreter that can run",
            id="python-path",
        ),
        pytest.param("bogus = 1", "unknown key bogus (known:", id="unknown"),
    ],
)
def test_a_bad_key_in_pyproject_is_named_as_written_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, words: str
) -> None:
    """Every key is checked when it is read, even one that only verification uses: exit 2
    with the key as the user wrote it, before any file is read."""
    path = tmp_path / "m.py"
    path.write_text(MODEL)
    (tmp_path / "pyproject.toml").write_text(f"[tool.seq2func]\n{toml}\n")
    assert main(["convert", "--check", str(path)]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(("args", "toml", "keywords", "words"), BAD)
def test_a_bad_value_is_an_error_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], toml: str, keywords: dict, words: str
) -> None:
    """Should refuse the value with exit 2 on the command line and in pyproject.toml, and
    with a ValueError in the library, each naming it."""
    path = tmp_path / "m.py"
    path.write_text(MODEL)
    assert main([*args, str(path)]) == 2
    assert words in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text(f"[tool.seq2func]\n{toml}\n")
    assert main([args[0], str(path)]) == 2
    assert words in capsys.readouterr().err
    call = check_source if args[0] == "check" else convert_source
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace("'", ".")):
        if call is check_source:
            check_source(MODEL, **keywords)
        else:
            convert_source(MODEL, **keywords)


def test_good_values_still_work() -> None:
    """Should take prefixes, rule names, shapes written as text, and the documented keys."""
    assert check_source(MODEL, select=["S2F1"]).findings == []
    assert check_source(MODEL, select=["duplicated-layers"], ignore=["S2F2"]).findings == []
    assert (
        "shape=(28, 28)"
        in convert_source(MODEL.replace("input_shape=(2,)", ""), input_shape="28,28").new_text
    )
    with pytest.raises(ValueError, match="unknown option: bogus"):
        convert_source(MODEL, bogus=1)


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ('"build_model(64)"', "build_model(64)"),
        ('"make(shape=(28, 28, 1))"', "make(shape=(28, 28, 1))"),
        ('"build_model"', None),  # a name, not a call
        ('"build_model("', None),
        ("64", None),
    ],
)
def test_verify_entry_is_a_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, taken: str | None
) -> None:
    """Should take `verify-entry` when it is a call, and refuse anything else with exit 2."""
    from seq2func.config import settings_for

    (tmp_path / "pyproject.toml").write_text(f"[tool.seq2func]\nverify-entry = {value}\n")
    path = tmp_path / "m.py"
    path.write_text(MODEL)
    if taken is not None:
        assert settings_for([str(path)]).verify.entry == taken
    else:
        assert main(["convert", str(path)]) == 2
        assert "verify-entry takes a call that builds the model" in capsys.readouterr().err


def test_a_shape_the_user_gave_is_named_where_it_was_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The note names the flag, the pyproject key or the library keyword, as given."""
    path = tmp_path / "m.py"
    path.write_text(MODEL.replace("input_shape=(2,)", ""))
    assert main(["convert", "--check", "--input-shape", "2", str(path)]) == 1
    assert "input from --input-shape)" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text('[tool.seq2func]\ninput-shape = "2"\n')
    assert main(["convert", "--check", str(path)]) == 1
    assert "input from input-shape in [tool.seq2func])" in capsys.readouterr().err
    [conversion] = convert_source(path.read_text(), input_shape="2").conversions
    assert conversion.input_source == "input_shape="


def test_shapes_are_given_by_model_name_on_the_command_line_and_in_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--input-shape NAME=shape` (repeatable) and `input-shape = {NAME = shape}` give each
    model its own; a bare shape is given once, and to a file's one model that needs it."""
    path = tmp_path / "m.py"
    path.write_text(
        "import keras\nenc = keras.Sequential([keras.layers.Dense(2)])\n"
        "dec = keras.Sequential([keras.layers.Dense(3)])\n"
    )
    assert main(["convert", "--check", "--input-shape", "enc=4", "--input-shape", "dec=2", str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        "enc (1 layer; input from --input-shape enc)" in err
        and "dec (1 layer; input from --input-shape dec)" in err
    )
    assert main(["convert", "--check", "--input-shape", "4", "--input-shape", "2", str(path)]) == 2
    assert "--input-shape without a name is given once" in capsys.readouterr().err
    assert main(["convert", "--check", "--input-shape", "4", str(path)]) == 0  # two need one: neither gets it
    assert capsys.readouterr().err.count("[input-shape-ambiguous]") == 2
    assert main(["convert", "--check", "--input-shape", "4", str(tmp_path)]) == 2  # a tree: by name only
    assert "for several files, name the models" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text('[tool.seq2func]\ninput-shape = {enc = [4], dec = "2"}\n')
    assert main(["convert", "--check", str(path)]) == 1
    assert "input from input-shape in [tool.seq2func] for dec" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text('[tool.seq2func]\ninput-shape = {"not a name" = [4]}\n')
    assert main(["convert", "--check", str(path)]) == 2
    assert "'not a name' is not a model's name" in capsys.readouterr().err
