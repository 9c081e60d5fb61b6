"""Narrowing (seq2func.analysis.narrow): which statements LibCST sees, and that what it leaves out
never changes a result. Every result below is compared with the whole-module analysis."""

from __future__ import annotations

import ast
import random
from pathlib import Path
from textwrap import dedent

import pytest
from programs import generate

from seq2func.analysis.narrow import Widen, check_untouched, narrowed, units
from seq2func.analysis.parse import analyse
from seq2func.drivers.source import Document, convert_text
from seq2func.rules.engine import check_text
from seq2func.types import Options, TextEdit

ROOT = Path(__file__).resolve().parent.parent

# (source, the top-level statements left for LibCST, by first line)
KEPT = [
    (  # unrelated helpers are stood in for; imports and Keras code stay
        "import numpy as np\nfrom keras import Sequential, layers\n\n\n"
        "def helper(values):\n    return np.mean(values)\n\n\n"
        "model = Sequential([layers.Dense(2, input_shape=(3,))])\n",
        [1, 2, 9],
    ),
    (  # a function the model's code calls is kept, and so is what it reads
        "from keras import Sequential, layers\n"
        "WIDTH = 4\n"
        "def width():\n    return WIDTH\n"
        "model = Sequential([layers.Dense(width(), input_shape=(3,))])\n"
        "UNRELATED = 5\n",
        [1, 2, 3, 5],
    ),
    (  # a statement that reads the model (a later use) is kept
        "import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(2, input_dim=3))\n"
        "def report():\n    return model.count_params()\n",
        [1, 2, 3, 4],
    ),
    (  # `model` local to an unrelated function is another name: not kept
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(2, input_dim=3)])\n"
        "def other():\n    model = 3\n    return model\n",
        [1, 2],
    ),
    (  # `global model` in a function binds the module's model: kept
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(2, input_dim=3)])\n"
        "def other():\n    global model\n    model = 3\n",
        [1, 2, 3],
    ),
    (  # a method reads the module's `size`, not the class attribute: kept
        "import keras\nsize = 3\nmodel = keras.Sequential([keras.layers.Dense(size, input_dim=3)])\n"
        "class Box:\n    size = 1\n    def get(self):\n        return size\n"
        "size = 4\n",
        [1, 2, 3, 4, 8],
    ),
    (  # a class attribute of the same name is another name: not kept
        "import keras\nsize = 3\nmodel = keras.Sequential([keras.layers.Dense(size, input_dim=3)])\n"
        "class Box:\n    size = 1\n    def get(self):\n        return self.size\n",
        [1, 2, 3],
    ),
    (  # a star import is an import: kept
        dedent(
            """\
            from keras.layers import *
            def f():
                return 1
            """
        ),
        [1],
    ),
]


def kept_lines(source: str) -> list[int]:
    text, hidden, _ = narrowed(source, units(ast.parse(source)))
    assert text.count("\n") == source.count("\n")  # every position stays
    starts = [s.lineno for s in ast.parse(source).body]
    return [line for line in starts if not any(first <= line <= last for first, last in hidden)]


@pytest.mark.parametrize(("source", "kept"), KEPT)
def test_kept_statements(source: str, kept: list[int]) -> None:
    assert kept_lines(source) == kept


def test_stand_in_keeps_lines_columns_and_names() -> None:
    source = "import keras\r\ndef helper(a):\r\n    return len(a)\r\n\r\nx = keras.Sequential()\r\n"
    text, hidden, _ = narrowed(source, units(ast.parse(source)))
    assert hidden == [(2, 3)]
    lines = text.split("\r\n")
    assert lines[1] == 'helper = (__seq2func_hidden_0__, lambda: (len,), """'
    assert lines[4] == source.split("\r\n")[4]
    ast.parse(text)


# Unrelated code whose names collide with what conversions bind (inputs, x, model, Input).
FILLER = [
    "def filler_{i}(x, inputs=None):\n    total = 0\n    for model in range(3):\n"
    "        total += model\n    return total + len(str(x))\n",
    "class Plain{i}:\n    size = 3\n\n    def get(self):\n        return self.size\n",
    "inputs = [{i}, 2]\n",
    "def reads_{i}():\n    return x\n",
    "for x_{i} in range(2):\n    pass\n",
    "def Input(shape):  # a user's own Input\n    return shape\n",
    "outputs = {i}\n",
]


def with_filler(source: str, rng: random.Random) -> str:
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    starts = sorted({s.lineno for s in ast.parse(source).body} | {len(lines) + 1}, reverse=True)
    for i, line in enumerate(starts):
        if rng.random() < 0.6:
            lines[line - 1 : line - 1] = ["\n", rng.choice(FILLER).format(i=i), "\n"]
    return "".join(lines)


def sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text()) for p in sorted((ROOT / "samples").glob("*.py"))]
    found += [(p.name, p.read_text()) for p in sorted((ROOT / "bench" / "corpus").glob("*.py"))]
    found += [(p.name, p.read_text()) for p in sorted((ROOT / "tests" / "cases").glob("*.before.py"))]
    found += [(f"generated-{seed}", generate(random.Random(seed)).source) for seed in range(60)]
    return found


@pytest.mark.parametrize(("name", "source"), sources(), ids=[name for name, _ in sources()])
def test_narrowing_never_changes_a_result(name: str, source: str) -> None:
    rng = random.Random(name)
    for text in (source, with_filler(source, rng), with_filler(source, rng)):
        for style in ("model", "shared"):
            options = Options(style=style)
            narrow = convert_text(text, options)
            whole = convert_text(text, options, analyse(text, narrow=False))
            assert narrow.new_text == whole.new_text
            assert narrow.skips == whole.skips
            assert narrow.conversions == whole.conversions
            assert narrow.findings == whole.findings
        whole_document = Document(text)
        whole_document.analysis = analyse(text, narrow=False)
        assert Document(text).survey() == whole_document.survey()
        fixed = check_text(text, fix=True)
        assert fixed == check_text(text, fix=True, analysis=analyse(text, narrow=False))


@pytest.mark.parametrize(
    ("start", "end", "reaches"),
    [
        (7, 7, True),  # an insertion inside the stood-in lines
        (0, 8, True),  # a replacement running into them
        (0, 24, True),  # one covering them
        (17, 20, True),  # one running out of them
        (6, 6, False),  # an insertion at their first line's start
        (18, 20, False),  # an edit right after them
        (0, 6, False),  # an edit right before them
    ],
)
def test_an_edit_into_a_stand_in_widens(start: int, end: int, reaches: bool) -> None:
    """Should refuse (Widen) exactly the edits that reach into a stood-in line span."""
    source = "a = 1\nb = 2\nc = 3\nd = 4\n"  # lines 2-3 stood in: offsets 6-18
    edits = [TextEdit(start, end, "x"), TextEdit(22, 22, "")]
    if reaches:
        with pytest.raises(Widen):
            check_untouched(source, [(2, 3)], edits)
    else:
        check_untouched(source, [(2, 3)], edits)


def test_an_analysis_is_told_the_whole_module_once() -> None:
    """Should not let an analysis's view of the whole module change after it is made: what
    it learns later makes another analysis of the same parse (`told`), and the first one
    still answers as before."""
    from seq2func.analysis.find import ModuleFacts, find_constructions
    from seq2func.analysis.module_facts import own_module_facts
    from seq2func.analysis.parse import analyse

    source = "import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\nmodel.layers[0]\n"
    analysis = analyse(source)
    with pytest.raises(AttributeError):
        analysis.module_facts = ModuleFacts()  # type: ignore[misc]
    facts = ModuleFacts(sensitive=((9, 0, "x.layers"),))
    told = analysis.told(facts, frozenset({"model"}))
    assert (told.module_facts, told.module_models) == (facts, frozenset({"model"}))
    assert analysis.module_facts is None and analysis.module_models is None
    assert told.module is analysis.module and told.range(told.module) is analysis.range(analysis.module)
    assert own_module_facts(told) == own_module_facts(analysis)  # read of the text alone
    assert [c.call for c in find_constructions(told)[0]] == [c.call for c in find_constructions(analysis)[0]]
