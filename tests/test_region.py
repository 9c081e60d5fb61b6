"""The shortcut behind a conversion's last checks: only the top-level statements the edits
touch are parsed and tokenized again (`render.changed_region`). Compared with the slow path
(the whole new text) on random edits of generated programs and of the corpus: the shortcut
never accepts a text the whole check refuses, and finds the same comments lost."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from programs import generate

from seq2func.analysis.parse import analyse, statement_spans
from seq2func.convert.rewrite import _comments
from seq2func.edits.render import changed_region, splice
from seq2func.types import TextEdit

CORPUS = sorted((Path(__file__).parent.parent / "bench" / "corpus").rglob("*.py"))
PIECES = [
    "",
    "\n",
    "# added\n",
    "(",
    ")",
    "'",
    '"""',
    "x = 1\n",
    "  ",
    "\\\n",
    "# note",
    "pass\n",
    "]",
    "\r\n",
]


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def random_edits(rng: random.Random, source: str) -> list[TextEdit]:
    """One to three edits that do not overlap: a cut, a piece inserted, or both."""
    # line ends half the time: a cut there joins two statements
    places = [i for i, c in enumerate(source) if c == "\n"] if rng.random() < 0.5 else range(len(source) + 1)
    points = sorted(rng.sample(list(places), min(len(places), 2 * rng.randint(1, 3))))
    edits = []
    for start, end in zip(points[::2], points[1::2], strict=False):
        end = start + min(end - start, rng.choice([0, 0, 1, 5, 40]))
        edits.append(TextEdit(start, end, rng.choice(PIECES) + rng.choice(PIECES)))
    return edits


def sources() -> list[str]:
    rng = random.Random(7)
    return [generate(rng).source for _ in range(60)] + [path.read_text() for path in CORPUS]


@pytest.mark.parametrize("seed", range(4))
def test_the_changed_region_agrees_with_the_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    shortcut = 0
    for source in sources():
        try:
            statements = statement_spans(ast.parse(source))
        except SyntaxError:
            continue
        for _ in range(3):
            edits = random_edits(rng, source)
            code = splice(source, edits)
            spliced = changed_region(source, code, edits, statements)
            assert spliced.code == code
            whole, part = parses(code), parses(spliced.new)
            assert whole or not part, (source, edits)  # never accepts what the whole check refuses
            if part:
                assert _comments(source) - _comments(code) == _comments(spliced.old) - _comments(spliced.new)
            shortcut += spliced.old != source
    assert shortcut > 200  # the shortcut was taken, not only the fallback to the whole text


def test_a_region_is_whole_statements() -> None:
    """Should widen an edit inside a function to the whole function, and keep the rest out."""
    source = "import keras\n\n\ndef f():\n    x = 1\n    return x\n\n\ny = 2\n"
    at = source.index("x = 1")
    edits = [TextEdit(at, at + 5, "x = 3")]
    spliced = changed_region(source, splice(source, edits), edits, analyse(source).statements)
    assert (spliced.first, spliced.old) == (4, "def f():\n    x = 1\n    return x\n")
    assert spliced.new == "def f():\n    x = 3\n    return x\n"


@pytest.mark.parametrize("seed", range(3))
def test_splicing_in_one_pass_is_splicing_one_by_one(seed: int) -> None:
    """Should splice as the edits made one by one from the last do (the slow path), with
    edits at one place, touching ones and overlapping ones among them."""
    from seq2func.edits.render import _splice_one_by_one

    rng = random.Random(seed)
    for _ in range(400):
        source = "".join(rng.choice("ab\n#(") for _ in range(rng.randint(0, 30)))
        edits = []
        for _ in range(rng.randint(0, 5)):
            start = rng.randint(0, len(source))
            end = min(len(source), start + rng.choice([0, 0, 1, 3]))
            edits.append(TextEdit(start, end, rng.choice(["", "X", "YY\n", "Z"])))
        assert splice(source, edits) == _splice_one_by_one(source, edits), (source, edits)
