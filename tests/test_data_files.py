"""Data files beside the program (`drivers.data_files`, `shapes.files`): the shape read from a
file's first lines against what pandas and numpy themselves read from it, over generated
files and calls (the libraries are the oracle); and which files are read at all."""

from __future__ import annotations

import os
import random
import warnings
from pathlib import Path
from typing import Any

import pytest
from shape_programs import shape_at_use

from seq2func.api import convert_bytes
from seq2func.drivers.data_files import data_files
from seq2func.shapes.files import beside
from seq2func.types import Options

HEADER = "import numpy as np\nimport pandas as pd\n"


def _written(rng: random.Random, folder: Path) -> tuple[str, list[str]]:
    """A data file written by pandas or numpy, and calls that may read it."""
    import numpy as np
    import pandas as pd

    rows, columns = rng.randint(3, 9), rng.randint(1, 6)
    values = np.arange(rows * columns, dtype=float).reshape(rows, columns)
    names = [f"c{k}" for k in range(columns)]
    cols = rng.sample(names, rng.randint(1, columns))
    kind = rng.choice(["header", "header-index", "semicolon", "tab", "plain", "spaces", "npy"])
    if kind == "npy":
        shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(1, 4)))
        np.save(folder / "data.npy", np.zeros(shape))
        return "data.npy", ["np.load('data.npy')", "np.load('data.npy', allow_pickle=True)"]
    name = "data.txt" if kind in ("plain", "spaces") else "data.csv"
    frame = pd.DataFrame(values, columns=names)
    if kind == "header":
        frame.to_csv(folder / name, index=False)
    elif kind == "header-index":
        frame.to_csv(folder / name)
    elif kind == "semicolon":
        frame.to_csv(folder / name, sep=";", index=False)
    elif kind == "tab":
        frame.to_csv(folder / name, sep="\t", index=False)
    elif kind == "plain":
        np.savetxt(folder / name, values, delimiter=",")
    else:
        np.savetxt(folder / name, values)
    n = repr(name)
    return name, [
        f"pd.read_csv({n})",
        f"pd.read_csv({n}, sep=';')",
        f"pd.read_csv({n}, sep='\\t')",
        f"pd.read_table({n})",
        f"pd.read_csv({n}, header=None)",
        f"pd.read_csv({n}, index_col=0)",
        f"pd.read_csv({n}, usecols={cols!r})",
        f"pd.read_csv({n}, names={names!r})",
        f"pd.read_csv({n}, header=None, names={names!r})",
        f"pd.read_csv({n}, sep='\\\\s+')",
        f"pd.read_csv({n}, delim_whitespace=True)",
        f"np.loadtxt({n}, delimiter=',')",
        f"np.loadtxt({n}, delimiter=',', skiprows=1)",
        f"np.loadtxt({n})",
        f"np.loadtxt({n}, delimiter=';', skiprows=1)",
        f"np.loadtxt({n}, delimiter=',', usecols={list(range(min(2, columns)))!r})",
        f"np.loadtxt({n}, delimiter=',', usecols=0)",
        f"np.genfromtxt({n}, delimiter=',', skip_header=1)",
        f"np.genfromtxt({n}, delimiter=',')",
    ]


def _real(call: str) -> tuple[int, ...] | None:
    import numpy as np
    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value: Any = eval(call, {"np": np, "pd": pd})
    except Exception:
        return None
    return tuple(value.shape)


def test_a_shape_read_from_a_file_is_what_the_library_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should read, for every generated file and call, the shape pandas or numpy makes of it
    (each dimension it gives; the rows left open), or refuse; never another."""
    monkeypatch.chdir(tmp_path)
    rng = random.Random(5)
    answered = wrong = 0
    for seed in range(int(os.environ.get("S2F_FILE_SEEDS", 160))):
        folder = tmp_path / str(seed)
        folder.mkdir()
        os.chdir(folder)
        name, calls = _written(rng, folder)
        call = rng.choice(calls)
        real = _real(call)
        text = f"{HEADER}x = {call}\nuse(x)\n"
        with beside(data_files(text, folder)):
            read = shape_at_use(text)
        if real is None or read is None:
            continue
        answered += 1
        if len(read) != len(real) or any(r is not None and r != t for r, t in zip(read, real, strict=True)):
            wrong += 1
            print(
                f"seed {seed}: {call} on {name}: read {read}, real {real}\n{(folder / name).read_bytes()[:200]!r}"
            )
    assert wrong == 0
    assert answered > 40  # not vacuous


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("table.csv", True),
        ("data/table.csv", True),
        ("../table.csv", False),  # outside the program's folder
        ("/tmp/table.csv", False),  # an absolute path: another machine's
        ("missing.csv", False),
    ],
)
def test_which_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, read: bool) -> None:
    program = tmp_path / "project"
    (program / "data").mkdir(parents=True)
    for where in (program / "table.csv", program / "data" / "table.csv", tmp_path / "table.csv"):
        where.write_text("a,b\n1,2\n3,4\n")
    monkeypatch.chdir(program)
    found = data_files(f"x = pd.read_csv({name!r})\n", program)
    assert [f.name for f in found] == ([name] if read else [])


def test_a_file_of_that_name_where_the_program_is_run_from_is_not_guessed_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should not read a file beside the program when the folder it is run from has another
    file of that name: which one the program reads depends on where it runs."""
    program, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    program.mkdir()
    elsewhere.mkdir()
    (program / "table.csv").write_text("a,b\n1,2\n3,4\n")
    (elsewhere / "table.csv").write_text("a,b,c\n1,2,3\n")
    monkeypatch.chdir(elsewhere)
    assert data_files("x = pd.read_csv('table.csv')\n", program) == ()
    monkeypatch.chdir(tmp_path)  # no such file here: the one beside the program
    assert [f.name for f in data_files("x = pd.read_csv('table.csv')\n", program)] == ["table.csv"]


def test_the_cli_reads_a_csv_beside_the_program_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "diabetes.csv").write_text("a,b,c,Outcome\n" + "1,2,3,0\n" * 20)
    source = (
        "import pandas as pd\nfrom tensorflow import keras\n"
        "df = pd.read_csv('diabetes.csv')\nX = df.drop(columns=['Outcome']).values\n"
        "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\nmodel.fit(X, df['Outcome'])\n"
    )
    path = tmp_path / "train.py"
    path.write_text(source)
    monkeypatch.chdir(tmp_path)
    result, new = convert_bytes(source.encode(), Options(), path=str(path))
    assert b"keras.Input(shape=(3,))" in new
    [conversion] = result.conversions
    assert conversion.input_source.endswith("its shape as the start of diabetes.csv beside the program shows")
    # without the program's path (a text from stdin, the library's convert_source): not read
    result, new = convert_bytes(source.encode(), Options())
    assert not result.conversions and [s.code for s in result.skips] == ["input-shape-unknown"]


@pytest.mark.tensorflow
def test_verify_confirms_a_shape_a_file_beside_the_program_gave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The columns of a CSV and a `.npy` file's header give two models their shapes; running
    the program beside the files proves both."""
    import numpy as np

    from seq2func.cli import main

    (tmp_path / "pima.csv").write_text("".join(",".join(["1.0"] * 9) + "\n" for _ in range(12)))
    np.save(tmp_path / "x_train.npy", np.zeros((6, 4, 4)))
    (tmp_path / "train.py").write_text(
        "import numpy as np\nfrom tensorflow import keras\n"
        "data = np.loadtxt('pima.csv', delimiter=',')\n"
        "m = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])\n"
        "m.compile('adam', 'mse')\nm.fit(data[:, :8], data[:, 8], epochs=1, verbose=0)\n"
        "images = np.load('x_train.npy')\n"
        "n = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(2)])\n"
        "n.compile('adam', 'mse')\nn.fit(images, np.zeros((6, 2)), epochs=1, verbose=0)\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["convert", "--verify", "-i", "train.py"]) == 0
    err = capsys.readouterr().err
    assert "m (line 4): equivalent" in err and "n (line 8): equivalent" in err, err
    assert "input (None, 8) confirmed by running" in err and "input (None, 4, 4) confirmed by running" in err


def test_the_quick_pass_finds_every_name_the_pattern_finds() -> None:
    """Should find (`names_in`, which scans only the lines a file's ending is on) exactly the
    names the pattern finds over the whole text, on the corpus, the samples and generated
    texts with names at line starts, ends, across lines and in prefixed strings."""
    from seq2func.drivers.data_files import _NAMED, names_in

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text() for p in sorted((root / "bench" / "corpus").rglob("*.py"))]
    texts += [p.read_text() for p in sorted((root / "samples").glob("*.py"))]
    rng = random.Random(3)
    pieces = [
        "'a.csv'",
        '"b.npy"',
        "r'c.txt'",
        "x",
        "\n",
        " ",
        ".",
        "'",
        '"',
        "d.csv",
        "\\",
        "f'e.tsv'",
        "'\nf.csv'",
    ]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(2000)]
    for text in texts:
        assert list(names_in(text)) == [m.group(2) for m in _NAMED.finditer(text)], text
