"""A notebook's saved outputs as evidence of the shape a model is fed: a table of notebooks
(cells, their execution counts and outputs) and the input each model gets, or the reason it
is left. An output is used only when it is exactly what its cell's code prints and the
notebook ran top to bottom; the note names the cell."""

from __future__ import annotations

from typing import Any

import pytest

from seq2func.api import convert_bytes
from seq2func.notebook import load, script_of
from seq2func.types import Options
from tests.test_notebook import code, jupyter_bytes

READ = "import pandas as pd\nfrom tensorflow import keras\nX = pd.read_csv('data.csv').to_numpy()"
MODEL = "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\nmodel.fit(X, y)"


def printed(text: str) -> list[dict[str, Any]]:
    return [{"name": "stdout", "output_type": "stream", "text": [text]}]


def shown(text: str, count: int) -> list[dict[str, Any]]:
    return [
        {
            "data": {"text/plain": [text]},
            "execution_count": count,
            "metadata": {},
            "output_type": "execute_result",
        }
    ]


def notebook(*cells: tuple[str, int | None, list[dict[str, Any]]]) -> bytes:
    return jupyter_bytes(
        [code(source, f"c{i}", count, outputs) for i, (source, count, outputs) in enumerate(cells)]
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            [(READ, 1, []), ("print(X.shape)", 2, printed("(800, 11)\n")), (MODEL, 3, [])],
            "Input(shape=(11,))",
            id="printed",
        ),
        pytest.param(
            [(READ, 1, []), ("X.shape", 2, shown("(800, 11)", 2)), (MODEL, 3, [])],
            "Input(shape=(11,))",
            id="cell-value",
        ),
        pytest.param(
            [
                (READ + "\ny = X[:, 0]", 1, []),
                ("X.shape, y.shape", 2, shown("((800, 11), (800,))", 2)),
                (MODEL, 3, []),
            ],
            "Input(shape=(11,))",
            id="cell-value-tuple",
        ),
        pytest.param(
            [(READ, 1, []), ("X.shape", 2, shown("TensorShape([800, 7, 3])", 2)), (MODEL, 3, [])],
            "Input(shape=(7, 3))",
            id="tensor-shape",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (
                    'print("train:", X.shape)\nprint(f"rows {X.shape}")',
                    2,
                    printed("train: (800, 11)\nrows (800, 11)\n"),
                ),
                (MODEL, 3, []),
            ],
            "Input(shape=(11,))",
            id="printed-with-words-and-f-string",
        ),
        pytest.param(
            [(READ + "\nprint(X.shape)", 1, printed("(800, 11)\n")), (MODEL, 2, [])],
            "Input(shape=(11,))",
            id="printed-in-the-cell-that-reads",
        ),
        # refusals: the output may not describe the code as it stands
        pytest.param(
            [(READ, 1, []), ('print("train:", X.shape)', 2, printed("(800, 11)\n")), (MODEL, 3, [])],
            "input-shape-unknown",
            id="output-not-what-the-code-prints",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("print(X.shape)\nmodel_summary()", 2, printed("(800, 11)\nTotal params: 3\n")),
                (MODEL, 3, []),
            ],
            "input-shape-unknown",
            id="other-output-in-the-stream",
        ),
        pytest.param(
            [(READ, 3, []), ("print(X.shape)", 2, printed("(800, 11)\n")), (MODEL, 4, [])],
            "input-shape-unknown",
            id="run-out-of-order",
        ),
        pytest.param(
            [(READ, None, []), ("print(X.shape)", 2, printed("(800, 11)\n")), (MODEL, 3, [])],
            "input-shape-unknown",
            id="an-earlier-cell-never-ran",
        ),
        pytest.param(
            [(READ, 1, []), ("print(X.shape)", 2, printed("(800, 11)\n")), ("X = X[:, :5]\n" + MODEL, 3, [])],
            "Input(shape=(5,))",
            id="sliced-after-the-output",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("print(X.shape)", 2, printed("(800, 11)\n")),
                ("X = transform(X)\n" + MODEL, 3, []),
            ],
            "input-shape-unknown",
            id="rebound-after-the-output",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("print(X.shape)", 2, printed("(800, 11)\n")),
                ("X.resize((800, 5))\n" + MODEL, 3, []),
            ],
            "input-shape-unknown",
            id="changed-in-place-after-the-output",
        ),
        pytest.param(
            [(READ, 1, []), ("print(X.shape, sep=', ')", 2, printed("(800, 11)\n")), (MODEL, 3, [])],
            "input-shape-unknown",
            id="print-with-keywords",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("for _ in range(1):\n    print(X.shape)", 2, printed("(800, 11)\n")),
                (MODEL, 3, []),
            ],
            "input-shape-unknown",
            id="printed-in-a-loop",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("print(X.shape)", 2, printed("(800, 11)\n")),
                (
                    MODEL.replace("model.fit(X, y)", "def train():\n    X = load()\n    model.fit(X, y)"),
                    3,
                    [],
                ),
            ],
            "input-shape-unknown",
            id="another-x-in-a-function",
        ),
        pytest.param(
            [(READ + "\nX2 = X", 1, []), ("print(X2.shape)", 2, printed("(800, 11)\n")), (MODEL, 3, [])],
            "input-shape-unknown",
            id="another-name",
        ),
        *(
            pytest.param(
                [
                    (READ, 1, []),
                    ("print(X.shape)", 2, printed("(800, 11)\n")),
                    (between, 3, []),
                    (MODEL, 4, []),
                ],
                "input-shape-unknown",
                id=name,
            )
            for name, between in (
                ("an-ipython-line-assigns-it", "X = %time X[:, :6]"),
                ("an-ipython-line-changes-it", "%time X.shape = (-1,)"),
                ("a-script-run-into-the-namespace", "%run prepare.py"),
                ("an-alias-changes-it", "Z = X\nZ.shape = (800, 2, -1)"),
                ("globals-writes-it", "globals()['X'] = X[:, :6]"),
                ("exec-writes-it", "exec('X = X[:, :6]')"),
                ("a-helper-changes-its-argument", "def flat(a):\n    a.shape = (-1,)\nflat(X)"),
            )
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("print(X.shape)", 2, printed("(800, 11)\n")),
                ("%time y = X[:, 0]", 3, []),
                (MODEL, 4, []),
            ],
            "Input(shape=(11,))",
            id="an-ipython-line-that-does-not-name-it",
        ),
    ],
)
def test_saved_outputs_as_evidence(
    cells: list[tuple[str, int | None, list[dict[str, Any]]]], expected: str
) -> None:
    assert_outcome(cells, expected, "saved output of cell[")


Cells = list[tuple[str, int | None, list[dict[str, Any]]]]


def assert_outcome(cells: Cells, expected: str, source: str) -> None:
    """The notebook's model gets `expected` (an Input, said to come from `source`), or is
    left with that reason code."""
    result, new = convert_bytes(notebook(*cells), Options(), notebook=True)
    if expected.startswith("Input("):
        [conversion] = result.conversions
        assert f"keras.{expected}" in new.decode()
        assert source in conversion.input_source
        return
    assert [s.code for s in result.skips] == [expected]


def test_the_note_names_the_cell_that_printed() -> None:
    data = notebook((READ, 1, []), ("print(X.shape)", 2, printed("(800, 11)\n")), (MODEL, 3, []))
    result, _ = convert_bytes(data, Options(), notebook=True)
    assert result.conversions[0].input_source.endswith("its shape as the saved output of cell[2] shows")


def test_observations_sit_on_the_name_in_the_script() -> None:
    """Each observation points at the name it shows, in the script the analysis reads."""
    data = notebook(
        (READ, 1, []), ("a = 1;  print('n', X.shape)", 2, printed("n (800, 11)\n")), (MODEL, 3, [])
    )
    script = script_of(load(data))
    [seen] = script.observed
    line = script.text.splitlines()[seen.line - 1]
    assert line[seen.column :].startswith("X.shape") and seen.shape == (800, 11) and seen.cell == 2


HIDDEN = (
    "import numpy as np\nfrom tensorflow import keras\n\n"
    "def load(rows):\n    if rows < 0:\n        return None\n    return np.random.rand(rows, 11)\n\n"
    "X = load(16)\ny = X[:, 0]"
)


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("saved", "verdict", "written"),
    [
        pytest.param("(16, 11)\n", "model (cell[3]:1): equivalent", True, id="true-output-proven"),
        pytest.param("(16, 12)\n", "model (cell[3]:1): different", False, id="stale-output-caught"),
    ],
)
def test_verify_confirms_what_an_output_said(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], saved: str, verdict: str, written: bool
) -> None:
    """The shape comes from the output; running the notebook proves it, or shows it stale."""
    from seq2func.cli import main

    path = tmp_path / "nb.ipynb"
    data = notebook((HIDDEN, 1, []), ("print(X.shape)", 2, printed(saved)), (MODEL, 3, []))
    path.write_bytes(data)
    code = main(["convert", "--verify", "--in-place", str(path)])
    captured = capsys.readouterr()
    assert verdict in captured.out + captured.err
    assert (path.read_bytes() != data) is written
    assert code == (0 if written else 1)


@pytest.mark.tensorflow
def test_the_saved_outputs_sample_converts_from_its_output_and_verifies(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """samples/saved_outputs.ipynb: a CSV read with numpy. Without the CSV, the printed shape
    gives the input; beside it, the CSV's first line does too, and running the notebook
    there proves it."""
    import shutil
    from pathlib import Path

    from seq2func.cli import main

    samples = Path(__file__).resolve().parent.parent / "samples"
    path = tmp_path / "saved_outputs.ipynb"
    path.write_bytes((samples / "saved_outputs.ipynb").read_bytes())
    assert main(["convert", str(path)]) == 0
    assert "its shape as the saved output of cell[3] shows" in capsys.readouterr().err
    shutil.copytree(samples / "data", tmp_path / "data")
    assert main(["convert", "-i", "--verify", str(path)]) == 0
    err = capsys.readouterr().err
    assert "its shape as the start of data/measurements.csv beside the program shows" in err
    assert "model (cell[4]:1): equivalent" in err and "written (verified)" in err


KERAS3_SUMMARY = (
    'Model: "sequential"\n'
    "┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓\n"
    "┃ Layer (type)    ┃ Output Shape ┃ Param # ┃\n"
    "┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩\n"
    "│ dense (Dense)   │ (None, 6)    │      72 │\n"
    "├─────────────────┼──────────────┼─────────┤\n"
    "│ dense_1 (Dense) │ (None, 1)    │       7 │\n"
    "└─────────────────┴──────────────┴─────────┘\n"
    " Total params: 79 (316.00 B)\n"
)
KERAS2_SUMMARY = (
    'Model: "sequential"\n'
    "_________________________________________________________________\n"
    " Layer (type)                Output Shape              Param #   \n"
    "=================================================================\n"
    " dense (Dense)               (None, 6)                 72        \n"
    "                                                                 \n"
    " dense_1 (Dense)             (None, 1)                 7         \n"
    "=================================================================\n"
    "Total params: 79\n"
)
SIX = "model = keras.Sequential([keras.layers.Dense(6, activation='relu'), keras.layers.Dense(1)])"


def shown_as(text: str) -> list[dict[str, Any]]:
    """How Keras 3 shows a summary in Jupyter (rich): display data with plain text."""
    return [{"data": {"text/plain": [text]}, "metadata": {}, "output_type": "display_data"}]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            [
                (READ, 1, []),
                (SIX + "\nmodel.fit(X, y)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "Input(shape=(11,))",
            id="keras3-table",
        ),
        pytest.param(
            [(READ, 1, []), (SIX + "\nmodel.fit(X, y)\nmodel.summary()", 2, printed(KERAS2_SUMMARY))],
            "Input(shape=(11,))",
            id="keras2-table-printed",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX.replace("activation='relu'", "use_bias=False") + "\nmodel.fit(X, y)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "Input(shape=(12,))",
            id="no-bias",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX.replace("Dense(6,", "Dense(8,") + "\nmodel.fit(X, y)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="units-disagree",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (
                    SIX.replace("keras.layers.Dense(6, activation='relu')", "keras.layers.Conv1D(6, 3)")
                    + "\nmodel.fit(X, y)",
                    2,
                    [],
                ),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="not-a-dense-first",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX.replace("activation='relu'", "lora_rank=2") + "\nmodel.fit(X, y)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="lora-adds-parameters",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX + "\nmodel.fit(X, y)\nmodel.layers[0].enable_lora(2)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="lora-enabled-later",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX + "\nmodel.fit(X, y)", 2, []),
                ("model.summary()", 3, shown_as(KERAS3_SUMMARY.replace("72", "73"))),
            ],
            "input-shape-unknown",
            id="parameters-not-a-whole-number-of-inputs",
        ),
        pytest.param(
            [
                (READ, 1, []),
                ("model.summary()", 2, shown_as(KERAS3_SUMMARY)),
                (SIX + "\nmodel.fit(X, y)", 3, []),
            ],
            "input-shape-unknown",
            id="printed-before-the-model-is-made",
        ),
        pytest.param(
            [
                (READ, 1, []),
                (SIX + "\nmodel.fit(X, y)", 2, []),
                ("other.summary()", 3, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="another-models-summary",
        ),
        pytest.param(
            [
                (READ, 3, []),
                (SIX + "\nmodel.fit(X, y)", 1, []),
                ("model.summary()", 2, shown_as(KERAS3_SUMMARY)),
            ],
            "input-shape-unknown",
            id="run-out-of-order",
        ),
    ],
)
def test_a_saved_summary_table_as_evidence(
    cells: list[tuple[str, int | None, list[dict[str, Any]]]], expected: str
) -> None:
    assert_outcome(cells, expected, "model.summary() table saved in the output of cell[")


@pytest.mark.tensorflow
def test_the_summary_keras_prints_is_read() -> None:
    """The table the installed Keras prints for a model built from data, read back."""
    import numpy as np
    from tensorflow import keras

    from seq2func.notebook import _first_row

    model = keras.Sequential([keras.layers.Dense(6, activation="relu"), keras.layers.Dense(1)])
    model(np.zeros((2, 11), dtype="float32"))
    lines: list[str] = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    # built by a call on 2 rows, Keras keeps that batch size in the table
    assert _first_row("\n".join(lines)) in {("Dense", (2, 6), 72), ("Dense", (None, 6), 72)}


# -- tables a notebook shows: the displays real pandas makes ----------------------------------

TABLE = "import pandas as pd\nfrom tensorflow import keras\ndf = pd.read_csv('diabetes.csv')"
DROPPED = (
    "X = df.drop('Outcome', axis=1)\ny = df['Outcome']\n"
    "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\nmodel.fit(X, y)"
)


def frame(rows: int, columns: int, **named: Any) -> Any:
    import numpy as np
    import pandas as pd

    names = [f"col {k}" for k in range(columns - 1)] + ["Outcome"]  # names with spaces too
    df = pd.DataFrame(np.zeros((rows, columns)), columns=names)
    return df.rename_axis(named["index"]) if "index" in named else df


def displayed(obj: Any, count: int, html: bool = True) -> list[dict[str, Any]]:
    """What Jupyter saves of a value a cell ends with: pandas's own HTML and text."""
    data = {"text/plain": [repr(obj)], **({"text/html": [obj._repr_html_()]} if html else {})}
    return [{"data": data, "execution_count": count, "metadata": {}, "output_type": "execute_result"}]


def informed(df: Any) -> list[dict[str, Any]]:
    import io

    buffer = io.StringIO()
    df.info(buf=buffer)
    return printed(buffer.getvalue())


def _table_rows() -> list[Any]:
    import pandas as pd

    with pd.option_context("display.max_columns", 20):
        nine, wide = frame(768, 9), frame(768, 40)
        return [
            pytest.param(("df.head()", displayed(nine.head(), 2)), "Input(shape=(8,))", id="head"),
            pytest.param(("df.tail(3)", displayed(nine.tail(3), 2)), "Input(shape=(8,))", id="tail"),
            pytest.param(("df", displayed(nine, 2)), "Input(shape=(8,))", id="whole-with-its-size"),
            pytest.param(
                ("df", displayed(nine, 2, html=False)), "Input(shape=(8,))", id="text-with-its-size"
            ),
            pytest.param(("df.info()", informed(nine)), "Input(shape=(8,))", id="info"),
            # columns left out (...): only the line that counts them tells
            pytest.param(("df.head()", displayed(wide.head(), 2)), "Input(shape=(39,))", id="head-cut-short"),
            pytest.param(
                ("df.head()", displayed(frame(9, 9, index="id").head(), 2)),
                "input-shape-unknown",
                id="a-header-of-two-rows",
            ),
            pytest.param(
                ("df.head()", displayed(nine.head(), 2, html=False)), "input-shape-unknown", id="head-as-text"
            ),
            pytest.param(
                ("df.describe()", displayed(nine.describe(), 2)), "input-shape-unknown", id="describe"
            ),
            pytest.param(
                ("df.head(n)", displayed(nine.head(), 2)), "input-shape-unknown", id="head-of-a-name"
            ),
            pytest.param(
                ("print('rows')\ndf.info()", printed("rows\n") + informed(nine)),
                "input-shape-unknown",
                id="info-and-more",
            ),
        ]


@pytest.mark.parametrize(("shown_cell", "expected"), _table_rows())
def test_a_table_the_notebook_shows(shown_cell: tuple[str, list[dict[str, Any]]], expected: str) -> None:
    """Should read a DataFrame's columns from what pandas displayed of it (and its rows where
    the display says them), and follow them through `drop`, as the code that made it ran."""
    source, outputs = shown_cell
    assert_outcome(
        [(TABLE, 1, []), (source, 2, outputs), (DROPPED, 3, [])], expected, "saved output of cell[2]"
    )


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        pytest.param("y = df['Outcome'].values\nprint(df.describe())", "Input(shape=(8,))", id="reads-it"),
        pytest.param("df2 = df.drop(columns=['Outcome'])", "Input(shape=(8,))", id="drops-into-another"),
        pytest.param("df.drop(columns=['col 0'], inplace=True)", "input-shape-unknown", id="drops-in-place"),
        pytest.param("df['ratio'] = df['col 0'] / 2", "input-shape-unknown", id="adds-a-column"),
        pytest.param("df = df.dropna()", "Input(shape=(8,))", id="rows-dropped-again"),
        pytest.param("df.pop('col 0')", "input-shape-unknown", id="pops-a-column"),
    ],
)
def test_a_table_shown_then_changed(between: str, expected: str) -> None:
    """Should use a table's display only while nothing may have changed its columns since."""
    nine = frame(768, 9)
    cells = [(TABLE, 1, []), ("df.head()", 2, displayed(nine.head(), 2)), (between, 3, []), (DROPPED, 4, [])]
    assert_outcome(cells, expected, "saved output of cell[2]")


@pytest.mark.tensorflow
def test_verify_confirms_a_table_the_notebook_showed(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The columns come from the saved `df.head()`, through `drop` (the CSV not there to
    read); running the notebook beside its CSV proves the shape."""
    from seq2func.cli import main

    nine = frame(24, 9)
    fit = DROPPED.replace(
        "model.fit(X, y)", "model.compile('adam', 'mse')\nmodel.fit(X, y, epochs=1, verbose=0)"
    )
    path = tmp_path / "nb.ipynb"
    path.write_bytes(notebook((TABLE, 1, []), ("df.head()", 2, displayed(nine.head(), 2)), (fit, 3, [])))
    assert main(["convert", str(path)]) == 0
    assert "its shape as the saved output of cell[2] shows" in capsys.readouterr().err
    nine.to_csv(tmp_path / "diabetes.csv", index=False)
    assert main(["convert", "--verify", "--in-place", str(path)]) == 0
    err = capsys.readouterr().err
    assert "model (cell[3]:3): equivalent" in err and "confirmed by running" in err, err
