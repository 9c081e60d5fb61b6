"""Jupyter notebooks (nbformat 4.x JSON, as Jupyter writes it): converted as the sequence of
their code cells; magics, outputs, ids and metadata kept; only changed sources change."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from seq2func.api import check_bytes, convert_bytes, make_options
from seq2func.cli import main
from seq2func.notebook import in_cells
from seq2func.types import ConvertError, Location, Options

SAMPLE = Path(__file__).parent.parent / "samples" / "seed_sequential.ipynb"


def code(
    source: str, cell_id: str, count: int | None = None, outputs: list[Any] | None = None
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": cell_id,
        "metadata": {"tags": ["keep"]},
        "outputs": outputs or [],
        "source": source.splitlines(keepends=True),
    }


def markdown(source: str, cell_id: str) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "id": cell_id,
        "metadata": {},
        "source": source.splitlines(keepends=True),
    }


def jupyter_bytes(cells: list[dict[str, Any]], **dump: Any) -> bytes:
    """The bytes Jupyter writes (nbformat's defaults), unless `dump` says otherwise."""
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    settings = {"indent": 1, "sort_keys": True, "ensure_ascii": False, **dump}
    return (json.dumps(notebook, **settings) + "\n").encode()


def sources(data: bytes) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(data)["cells"]]


STREAM = [{"name": "stdout", "output_type": "stream", "text": ["CPU times: 1 ms\n"]}]
MULTI_CELL = [
    code(
        dedent(
            """\
            !pip install -q keras
            %load_ext autoreload
            from keras.models import Sequential
            from keras.layers import Dense"""
        ),
        "c1",
        1,
    ),
    code("model = Sequential()\nmodel.add(Dense(8, activation='relu', input_shape=(4,)))  # hidden", "c2", 2),
    markdown("## More layers: `model.add(...)` here is prose", "m1"),
    code("%%time\nmodel.add(Dense(2))", "c3", 3, STREAM),
    code("model.add(Dense(1))", "c4", 4),
    code("%%bash\necho model.add(x)", "c5", 5),
    code("model.summary()", "c6", 6),
]


def test_a_model_built_over_several_cells_is_converted_cell_by_cell() -> None:
    """Should rewrite every add cell, and put `Model(...)` after the last add, in its cell."""
    before = jupyter_bytes(MULTI_CELL)
    result, after = convert_bytes(before, make_options(), notebook=True)
    assert sources(after) == [
        dedent(
            """\
            !pip install -q keras
            %load_ext autoreload
            from keras.models import Model
            from keras.layers import Dense, Input"""
        ),
        "inputs = Input(shape=(4,))\nx = Dense(8, activation='relu')(inputs)  # hidden",
        "## More layers: `model.add(...)` here is prose",
        "%%time\nx = Dense(2)(x)",
        "x = Dense(1)(x)\nmodel = Model(inputs=inputs, outputs=x)",
        "%%bash\necho model.add(x)",
        "model.summary()",
    ]
    [conversion] = result.conversions
    assert (conversion.location.cell, conversion.location.line, conversion.layers) == (2, 1, 3)
    assert str(conversion.location) == "cell[2]:1:9"


def test_only_the_sources_of_changed_cells_change() -> None:
    """Should keep outputs, execution counts, ids, metadata and the JSON layout byte for byte."""
    before = jupyter_bytes(MULTI_CELL)
    _, after = convert_bytes(before, make_options(), notebook=True)
    old, new = json.loads(before), json.loads(after)
    for old_cell, new_cell in zip(old["cells"], new["cells"], strict=True):
        assert {k: v for k, v in old_cell.items() if k != "source"} == {
            k: v for k, v in new_cell.items() if k != "source"
        }
    unchanged = [i for i, (a, b) in enumerate(zip(sources(before), sources(after), strict=True)) if a == b]
    assert unchanged == [2, 5, 6]
    # written exactly as Jupyter writes it: the changed cells' lines are the only difference
    new["cells"] = old["cells"]
    assert jupyter_bytes(new["cells"]) == before


def test_a_layout_other_than_jupyters_is_kept() -> None:
    """Indent 2, unsorted keys, sources as one string: written back the same way."""
    cells = [dict(c, source="".join(c["source"])) for c in MULTI_CELL]
    before = jupyter_bytes(cells, indent=2, sort_keys=False)
    _, after = convert_bytes(before, make_options(), notebook=True)
    notebook = json.loads(after)
    assert isinstance(notebook["cells"][1]["source"], str)
    assert after == (json.dumps(notebook, indent=2, sort_keys=False, ensure_ascii=False) + "\n").encode()


def test_a_use_in_a_cell_between_adds_is_a_skip_with_its_cell() -> None:
    """Should leave the notebook as it is, and name the cell and line that uses the model."""
    cells = [
        code(
            dedent(
                """\
            from keras.models import Sequential
            from keras.layers import Dense
            m = Sequential()"""
            ),
            "a",
        ),
        code("m.add(Dense(4, input_shape=(3,)))", "b"),
        markdown("look at it", "c"),
        code("m.summary()", "d"),
        code("m.add(Dense(1))", "e"),
    ]
    before = jupyter_bytes(cells)
    result, after = convert_bytes(before, make_options(), notebook=True)
    assert after == before
    [skip] = result.skips
    assert (skip.code, str(skip.location)) == ("used-between-adds", "cell[4]:1:1")


def test_a_notebook_without_keras_is_byte_identical(tmp_path: Path) -> None:
    """Should read, report nothing to do, and write nothing."""
    path = tmp_path / "plain.ipynb"
    data = jupyter_bytes(
        [
            code(
                dedent(
                    """\
            %matplotlib inline
            import numpy as np
            np.zeros(3)"""
                ),
                "x",
                1,
            ),
            markdown("# Notes", "y"),
        ]
    )
    path.write_bytes(data)
    assert main(["convert", "--check", str(path)]) == 0
    assert main(["convert", "-i", str(path)]) == 0
    assert path.read_bytes() == data


def test_directories_include_notebooks_but_not_checkpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "work.ipynb").write_bytes(jupyter_bytes(MULTI_CELL))
    (tmp_path / ".ipynb_checkpoints" / "work-checkpoint.ipynb").write_bytes(jupyter_bytes(MULTI_CELL))
    assert main(["convert", "--check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "work.ipynb:cell[2]:1:9: would convert model" in err
    assert "checkpoint" not in err


def test_diff_is_per_cell_with_its_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes(jupyter_bytes(MULTI_CELL))
    assert main(["convert", "--diff", str(path)]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("+++ ")]
    assert headers == [f"+++ {path}:cell[{n}]" for n in (1, 2, 4, 5)]
    assert "-model.add(Dense(1))" in out and "# %% [seq2func" not in out


def test_check_reports_findings_in_cells() -> None:
    """S2F101 on a helper that builds new layers on every call, in a cell."""
    helper = (
        "from keras.layers import Concatenate, Dense, Input\nfrom keras.models import Model\n\n"
        "def tower(t):\n    h = Dense(8)(t)\n    return Dense(2)(h)\n\n"
        "a = Input((3,))\nb = Input((3,))\nmodel = Model([a, b], Concatenate()([tower(a), tower(b)]))"
    )
    before = jupyter_bytes([markdown("intro", "m"), code("%load_ext autoreload", "x"), code(helper, "h")])
    result, after = check_bytes(before, Options(), notebook=True)
    [finding] = result.findings
    assert (finding.code, finding.location.cell, finding.location.line) == ("S2F101", 3, 4)
    assert after == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "the JSON does not parse"),
        (b'{"nbformat": 4}', "no list of cells"),
        (b'{"cells": [], "nbformat": 3}', "nbformat 3 is not supported"),
    ],
)
def test_broken_notebooks_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(ConvertError, match=message):
        convert_bytes(data, make_options(), notebook=True)


def test_the_sample_notebook_converts_and_checks(tmp_path: Path) -> None:
    """The seed sample as a notebook: converts (output parses, a second run changes nothing)."""
    target = tmp_path / "seed.ipynb"
    assert main(["convert", str(SAMPLE), "-o", str(target)]) == 0
    converted = target.read_bytes()
    assert "Model(inputs=inputs, outputs=x)" in "".join(sources(converted))
    assert main(["convert", "--check", str(target)]) == 0
    assert main(["check", str(target)]) == 0


@pytest.mark.tensorflow
def test_the_sample_notebook_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """convert -i --verify on the notebook: both models equivalent, then written."""
    path = tmp_path / "seed.ipynb"
    path.write_bytes(SAMPLE.read_bytes())
    assert main(["convert", "-i", "--verify", str(path)]) == 0
    err = capsys.readouterr().err
    assert "): equivalent (3,103,299 parameters" in err and f"{path}: written (verified)" in err
    assert main(["verify", "--no-table", str(SAMPLE), str(path)]) == 0


def test_json_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes(jupyter_bytes(MULTI_CELL))
    assert main(["convert", "--check", "--json", str(path)]) == 1
    [conversion] = json.loads(capsys.readouterr().out)["files"][0]["conversions"]
    assert (conversion["cell"], conversion["line"], conversion["column"]) == (2, 1, 9)


def test_code_moved_outside_every_cell_is_refused() -> None:
    """A guard like the comment guard: a conversion that put text before the first cell's
    marker would lose it when split back, so nothing is changed."""
    import dataclasses

    from seq2func import notebook
    from seq2func.drivers.source import convert_text
    from seq2func.types import Options

    def misplacing(script: str, observed: object = ()):  # type: ignore[no-untyped-def]
        result = convert_text(script, Options())
        return dataclasses.replace(result, new_text="import stray\n" + result.new_text)

    with pytest.raises(ConvertError, match="outside the notebook's cells"):
        notebook.transform(jupyter_bytes(MULTI_CELL), misplacing)


# -- every cell IPython runs: one row per form, each beside a model that converts -----------

MODEL_CELLS = [
    "import keras",
    dedent(
        """\
        model = keras.Sequential()
        model.add(keras.layers.Dense(4, input_shape=(3,)))
        model.add(keras.layers.Dense(1))"""
    ),
]
CELL_FORMS = [
    pytest.param("if IS_COLAB:\n    %pip install -q -U tfx", id="line-magic-alone-in-a-block"),
    pytest.param("try:\n    %tensorflow_version 2.x\nexcept Exception:\n    pass", id="magic-in-try"),
    pytest.param("!pip install a \\\n  b \\\n  c", id="shell-continued"),
    pytest.param("!!ls\nfiles = !ls\nsize = %sx du", id="shell-capture-and-assign"),
    pytest.param("    x = 1\n    y = x + 1", id="indented-cell"),
    pytest.param(
        dedent(
            """\
            %%writefile main.py
            import keras
            print(keras.__version__ if True"""
        ),
        id="cell-magic-writefile",
    ),
    pytest.param("%%bash\nfor f in *; do echo $f; done", id="cell-magic-bash"),
    pytest.param("keras.Input?", id="help-end"),
    pytest.param("??keras.Sequential\nkeras.layers.Dense??", id="help-start-and-double"),
    pytest.param("%time y = 2\n%timeit -n1 y + 1", id="line-magics"),
    pytest.param("import asyncio\nawait asyncio.sleep(0)", id="top-level-await"),
    pytest.param("%%time\nz = 3", id="python-cell-magic"),
    pytest.param("/print 1 2\n,print a b", id="autocall-autoquote"),
    pytest.param(
        'message = ("a %s"\n           % "b")\nflag = (1\n        != 2)',
        id="percent-and-bang-inside-brackets-are-python",
    ),
    pytest.param("def broken(:\n    pass", id="a-cell-that-is-not-python"),
]


@pytest.mark.parametrize("odd", CELL_FORMS)
def test_every_cell_ipython_runs_is_handled(odd: str) -> None:
    """Should convert the model and leave the odd cell byte-identical; a cell that is not
    Python is reported by cell, line and column, and only it is left."""
    cells = [code(MODEL_CELLS[0], "a"), code(odd, "odd"), code(MODEL_CELLS[1], "b")]
    before = jupyter_bytes(cells)
    result, after = convert_bytes(before, make_options(), notebook=True)
    assert [c.location.cell for c in result.conversions] == [3]
    assert sources(after)[1] == odd
    assert "keras.Model(" in sources(after)[2]
    again, unchanged = convert_bytes(after, make_options(), notebook=True)
    assert unchanged == after and not again.conversions  # a fixed point
    skips = [(s.code, str(s.location)) for s in result.skips]
    if "broken" in odd:
        assert skips == [("cell-syntax", "cell[2]:1:12")]
    else:
        assert skips == []


UNREADABLE_AFTER_THE_MODEL = [
    pytest.param(
        "model.add(keras.layers.Dense(2))\nif ready:", ["cell-syntax", "cell-syntax"], id="adds-to-it"
    ),
    pytest.param("print(model.layers[0]\n", ["cell-syntax", "cell-syntax"], id="reads-its-layers"),
    pytest.param("print(model_2.layers[0]\n", ["cell-syntax"], id="a-longer-name-is-another-name"),
    pytest.param("other.fit(x\n", ["cell-syntax"], id="names-something-else"),
]


@pytest.mark.parametrize(("unreadable", "codes"), UNREADABLE_AFTER_THE_MODEL)
def test_a_model_named_in_a_cell_that_is_not_python_is_left(unreadable: str, codes: list[str]) -> None:
    """Should leave a model that a cell seq2func cannot read names (what the cell does with
    it is unseen), saying which cell; a cell that names other things leaves it convertible."""
    cells = [code(MODEL_CELLS[0], "a"), code(MODEL_CELLS[1], "b"), code(unreadable, "odd")]
    result, after = convert_bytes(jupyter_bytes(cells), make_options(), notebook=True)
    assert [s.code for s in result.skips] == codes
    if len(codes) == 2:
        assert not result.conversions and after == jupyter_bytes(cells)
        assert str(result.skips[0].location) == "cell[2]:1:9"
        assert result.skips[0].message.startswith("cell[3] names model and is not Python")
    else:
        assert [c.location.cell for c in result.conversions] == [2]


def test_an_indented_cell_with_a_model_keeps_its_indentation() -> None:
    """Should convert a model in a cell IPython runs dedented, and indent it back."""
    cells = [
        code("import keras", "a"),
        code("  m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])", "b"),
    ]
    _, after = convert_bytes(jupyter_bytes(cells), make_options(), notebook=True)
    assert sources(after)[1] == (
        "  inputs = keras.Input(shape=(3,))\n  x = keras.layers.Dense(2)(inputs)\n"
        "  m = keras.Model(inputs=inputs, outputs=x)"
    )


def random_notebook(rng: random.Random) -> tuple[bytes, int]:
    """Odd cells of every form, markdown and a model whose adds span one to three cells."""
    adds = [
        "model.add(keras.layers.Dense(4, input_shape=(3,)))",
        "model.add(keras.layers.Dense(2))",
        "model.add(keras.layers.Dense(1))",
    ]
    split = sorted(rng.sample(range(1, 3), rng.randint(0, 2)))
    model_cells = ["model = keras.Sequential()\n" + "\n".join(adds[: (split or [3])[0]])]
    bounds = [*split, 3]
    model_cells += ["\n".join(adds[a:b]) for a, b in itertools.pairwise(bounds) if adds[a:b]]
    cells: list[dict[str, Any]] = [code("import keras", "imports", 1)]
    forms = [p.values[0] for p in CELL_FORMS]
    for n, body in enumerate(model_cells):
        for _ in range(rng.randint(0, 2)):
            kind = rng.random()
            if kind < 0.3:
                cells.append(markdown(f"Some *prose* {n}", f"md{len(cells)}"))
            else:
                cells.append(code(rng.choice(forms), f"odd{len(cells)}", len(cells), STREAM))
        cells.append(code(body, f"model{n}", len(cells)))
    cells.append(code("model.summary()", "summary", len(cells)))
    return jupyter_bytes(cells), len(cells)


@pytest.mark.parametrize("seed", range(60))
def test_generated_notebooks_are_never_refused(seed: int) -> None:
    """Should convert every generated notebook, leave every other cell, output, id and
    metadata as it was, write valid nbformat, and change nothing on a second run."""
    import nbformat

    before, count = random_notebook(random.Random(seed))
    result, after = convert_bytes(before, make_options(), notebook=True)
    assert len(result.conversions) == 1
    old, new = json.loads(before), json.loads(after)
    assert len(new["cells"]) == count
    for a, b in zip(old["cells"], new["cells"], strict=True):
        assert {k: v for k, v in a.items() if k != "source"} == {k: v for k, v in b.items() if k != "source"}
        if a["cell_type"] != "code" or "model" not in "".join(a["source"]):
            assert a["source"] == b["source"]
    nbformat.validate(nbformat.reads(after.decode(), as_version=4))
    assert convert_bytes(after, make_options(), notebook=True)[1] == after


@pytest.mark.tensorflow
def test_verify_names_the_failing_cell(tmp_path: Path) -> None:
    """Should say which cell and line failed when a notebook cannot be verified."""
    from seq2func.verify.runner import verify_programs

    cells = [
        code("import keras\n%matplotlib inline", "a"),
        markdown("prose", "m"),
        code("width = 4\nmodel = keras.Sequential([keras.layers.Dense(width, input_shape=(3,))])", "b"),
        code("!echo hi\nbroken = keras.Sequential([keras.layers.Dense(missing)])", "c"),
    ]
    path = tmp_path / "nb.ipynb"
    path.write_bytes(jupyter_bytes(cells))
    verdict = verify_programs(path, path, timeout=240)
    assert verdict.status == "error" and verdict.where == f"{path}:cell[4]:2", verdict


def test_a_cell_with_windows_line_breaks_keeps_them() -> None:
    """Should write the new lines of a cell whose lines end in CRLF with CRLF too (the
    script joins cells with LF, which new lines took)."""
    cells = [
        code(
            "import keras\r\nm = keras.Sequential()\r\nm.add(keras.layers.Dense(2, input_shape=(3,)))\r\n",
            "a",
        )
    ]
    _, after = convert_bytes(jupyter_bytes(cells), make_options(), notebook=True)
    [source] = sources(after)
    assert "keras.Model(" in source and source.count("\r\n") == source.count("\n") == 4


def test_a_crlf_cell_without_a_last_line_break_gets_none() -> None:
    cells = [code("import keras\r\nm = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])", "a")]
    _, after = convert_bytes(jupyter_bytes(cells), make_options(), notebook=True)
    [source] = sources(after)
    assert "keras.Model(" in source and not source.endswith(("\n", "\r")) and "\r\n" in source
    assert source.count("\r\n") == source.count("\n")


def test_a_model_made_on_an_ipython_line_is_said_to_be_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`%time m = keras.Sequential()` then adds: left as it is with a reason, never in silence
    (issue 39)."""
    cells = [
        code("import keras", "a", 1),
        code("%time m = keras.Sequential()\nm.add(keras.layers.Dense(2, input_shape=(3,)))", "b", 2),
    ]
    path = tmp_path / "nb.ipynb"
    path.write_bytes(jupyter_bytes(cells))
    main(["convert", "--check", str(path)])
    err = capsys.readouterr().err
    assert f"{path}:cell[2]:1:17: left as is [ipython-line]" in err


STALE_SUMMARY = (
    'Model: "sequential"\n Layer (type)   Output Shape   Param #\n dense (Dense)  (None, 4)      16\n'
)


@pytest.mark.parametrize("clear", [False, True])
def test_saved_outputs_that_show_the_old_model_are_named_or_cleared(clear: bool) -> None:
    """A cell the conversion changed, and a later cell whose output shows the converted model
    as a Sequential, are named in the note; `clear_stale_outputs` clears just those outputs."""
    printed = [{"name": "stdout", "output_type": "stream", "text": ["built\n"]}]
    table = [{"name": "stdout", "output_type": "stream", "text": [STALE_SUMMARY]}]
    data = jupyter_bytes(
        [
            code(
                "import keras\nprint('keras')",
                "a",
                1,
                [{"name": "stdout", "output_type": "stream", "text": ["keras\n"]}],
            ),
            code(
                "m = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])\nprint('built')",
                "b",
                2,
                printed,
            ),
            code("m.summary()", "c", 3, table),
            code("other.summary()", "d", 4, table),
        ]
    )
    result, new = convert_bytes(data, Options(clear_stale_outputs=clear), notebook=True)
    [conversion] = result.conversions
    assert "cell[2], cell[3]" in (conversion.note or "")
    assert ("cleared" in (conversion.note or "")) is clear
    assert ("--clear-stale-outputs" in (conversion.note or "")) is not clear
    cells = json.loads(new)["cells"]
    assert [bool(c["outputs"]) for c in cells] == [True, not clear, not clear, True]
    assert [c["execution_count"] for c in cells] == [1, 2, 3, 4]


def _place(line: int) -> Location:
    """Script lines 1-10 are cell[1], 11-20 cell[2]... (10 lines a cell)."""
    return Location((line - 1) % 10 + 1, 1, cell=(line - 1) // 10 + 1)


@pytest.mark.parametrize(
    ("message", "lines", "said"),
    [
        ("x at line 24 reads it", (24,), "x at cell[3] line 4 reads it"),
        ("called 2 times (lines 12, 27)", (12, 27), "called 2 times (cell[2] line 2, cell[3] line 7)"),
        ("made on lines 12-15", (12, 15), "made on cell[2] lines 2-5"),
        ("made on lines 18-23", (18, 23), "made on cell[2] line 8 to cell[3] line 3"),
        ("line 3 binds it and line 40 another", (3,), "cell[1] line 3 binds it and line 40 another"),
        (
            "a message at line 24 of the converted program",
            (),
            "a message at line 24 of the converted program",
        ),
    ],
)
def test_a_message_names_the_cell_and_line(message: str, lines: tuple[int, ...], said: str) -> None:
    """Should say each script line a message names (and only those recorded) as its cell
    and its line there."""
    assert in_cells(message, lines, _place) == said


def test_a_finding_in_a_notebook_names_the_cells_of_the_lines_it_names() -> None:
    data = jupyter_bytes(
        [
            code("import keras\nfrom keras import layers\n", "a"),
            code("def tower(t):\n    return layers.Dense(8)(t)\n", "b"),
            code(
                "a = keras.Input((4,))\nb = keras.Input((4,))\n\nj = layers.Concatenate()([tower(a), tower(b)])\n",
                "c",
            ),
        ]
    )
    result, _ = check_bytes(data, make_options(), notebook=True)
    [finding] = result.findings
    assert finding.location.cell == 2
    assert "it is called 2 times (cell[3] line 4)" in finding.message, finding.message
