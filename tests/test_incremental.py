"""An edited text's survey from the last one's (`seq2func.drivers.incremental`), against a survey of
the whole text (the slow path), and the conversion of one model from it against
`convert --line`, over random modules of many models and random edit sequences, and over
the corpus."""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from seq2func.drivers.source import Document
from seq2func.types import ConvertError, NotebookFacts, Observation, Survey

ROOT = Path(__file__).resolve().parent.parent

# (imports, how a Sequential is called, layers' prefix, how an Input is called)
STYLES = [
    ("import keras\nfrom keras import layers\n", "keras.Sequential", "layers.", "keras.Input"),
    (
        "import tensorflow as tf\nfrom tensorflow.keras import layers\n",
        "tf.keras.Sequential",
        "layers.",
        "tf.keras.Input",
    ),
    (
        "from keras.models import Sequential\nfrom keras.layers import Concatenate, Dense, Dropout, Input\n",
        "Sequential",
        "",
        "Input",
    ),
]


def _factory(rng: random.Random, i: int, seq: str, lay: str, inp: str) -> str:
    first = rng.choice(
        [
            f'{lay}Dense(width, activation="relu", input_shape=SHAPE)',
            f"{lay}Dense(width, input_dim={rng.randint(2, 9)})",
            f"{inp}(shape=SHAPE)",
            f"{lay}Dense(width)",  # no input shape: left as it is
        ]
    )
    rest = [f"{lay}Dense({rng.randint(2, 9)})", f"{lay}Dropout(0.{rng.randint(1, 5)})"]
    rng.shuffle(rest)
    if rng.random() < 0.5:
        body = (
            f"    model = {seq}([\n        {first},\n" + "".join(f"        {r},\n" for r in rest) + "    ])\n"
        )
    else:
        body = f"    model = {seq}()\n    model.add({first})\n" + "".join(
            f"    model.add({r})\n" for r in rest
        )
    return f"def build_{i}(width=WIDTH):\n    # model {i}\n{body}    return model\n"


def _method(rng: random.Random, i: int, seq: str, lay: str) -> str:
    return (
        f"class Net{i}:\n    def __init__(self, units={rng.randint(2, 9)}):\n"
        f"        self.model = {seq}([{lay}Dense(units, input_shape=SHAPE), {lay}Dense(1)])\n\n"
        "    def size(self):\n        return len(self.model.layers)\n"
    )


def _tower(i: int, lay: str, inp: str) -> str:  # a helper that builds layers on every call: S2F101
    return (
        f"def tower_{i}(t):\n    x = {lay}Dense(8)(t)\n    return {lay}Dense(4)(x)\n\n\n"
        f"a_{i} = {inp}(shape=(4,))\nb_{i} = {inp}(shape=(4,))\njoined_{i} = {lay}Concatenate()([tower_{i}(a_{i}), tower_{i}(b_{i})])\n"
    )


def _plain(i: int) -> str:
    return f"def helper_{i}(values):\n    total = 0\n    for v in values:\n        total += v * {i}\n    return total\n"


def module(rng: random.Random) -> str:
    header, seq, lay, inp = rng.choice(STYLES)
    if rng.random() < 0.3:
        header = "import tensorflow as tf\n" + header if "tensorflow as tf" not in header else header
    parts = [header, f"\nWIDTH = {rng.randint(4, 32)}\nSHAPE = ({rng.randint(2, 9)},)\n"]
    for i in range(rng.randint(3, 7)):
        kind = rng.choice(["factory", "factory", "factory", "method", "tower", "plain"])
        if kind == "factory":
            parts.append(_factory(rng, i, seq, lay, inp))
        elif kind == "method":
            parts.append(_method(rng, i, seq, lay))
        elif kind == "tower":
            parts.append(_tower(i, lay, inp))
        else:
            parts.append(_plain(i))
        if kind == "factory" and rng.random() < 0.3:
            parts.append(f"m_{i} = build_{i}()\n")
    if rng.random() < 0.2:
        parts.append(f"top = {seq}()\ntop.add({lay}Dense(3, input_shape=SHAPE))\n")  # built at module level
    return "\n\n".join(parts)


INSERTS = [
    "x = 1",
    "Input = 3",  # binds a name new code would take: the module-wide facts change
    "model.add({lay}Dense(3))",
    "model = {seq}()",
    "# seq2func: ignore",
    "global WIDTH",
    "inputs = WIDTH",
    "",
    "print(model.layers[0])",
    "other = {seq}([{lay}Dense(2, input_shape=(3,))])",
    "model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])",  # another family
    "return model",
    "(",  # half-typed
    "for k in range(2):",
]


def edit(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    seq = (
        next(s for _, s, _, _ in STYLES if f"{s}(" in text)
        if any(f"{s}(" in text for _, s, _, _ in STYLES)
        else "keras.Sequential"
    )
    lay = "layers." if "layers." in text else ""
    body = [n for n, line in enumerate(lines) if line.startswith("    ")]
    if not body or rng.random() < 0.1:  # anywhere, module level included
        n = rng.randrange(len(lines))
        lines.insert(n, rng.choice(["y = 2\n", "\n", "# note\n", "WIDTH = 5\n", "# seq2func: ignore\n"]))
        return "".join(lines)
    n = rng.choice(body)
    indent = re.match(r"\s*", lines[n]).group()
    kind = rng.random()
    if kind < 0.3 and re.search(r"\d", lines[n]):
        digits = [m.start() for m in re.finditer(r"\d", lines[n])]
        at = rng.choice(digits)
        lines[n] = lines[n][:at] + str(rng.randint(0, 9)) + lines[n][at + 1 :]
    elif kind < 0.45:
        del lines[n]
    else:
        new = rng.choice(INSERTS).format(seq=seq, lay=lay)
        lines.insert(n + rng.randint(0, 1), f"{indent}{new}\n" if new else "\n")
    return "".join(lines)


def survey_or_error(document: Document) -> Survey | str:
    try:
        return document.survey()
    except ConvertError as error:
        return f"ConvertError: {error}"


def check_step(
    before: Document, text: str, whole: Callable[[Document], object] = Document.survey
) -> tuple[Document, bool]:
    """The survey of `text` from `before`'s, and each model's conversion, against the slow
    path (`whole` surveys its document whole)."""
    fast = Document(text, notebook=before.notebook, before=before)
    slow = Document(text, notebook=before.notebook)
    with contextlib.suppress(ConvertError):  # (then both say why, below)
        whole(slow)
    assert survey_or_error(fast) == survey_or_error(slow)
    took = fast._edited is not None
    if took:  # what the editor tells unrelated edits by
        assert fast.outline == slow.outline
    if took:
        for site in slow.survey().sites:
            if site.skip is not None:
                continue
            for style in ("model", "shared"):
                line = site.location.line
                assert (
                    fast.convert(line=line, lint=False, style=style).new_text
                    == slow.convert(line=line, lint=False, style=style).new_text
                ), (line, style)
        # the whole-file actions, from the statements of what they touch (one style a step,
        # either by turns: the per-model comparisons above cover both on every step)
        style = ("model", "shared")[len(text) % 2]
        assert (
            fast.convert(lint=False, style=style).new_text == slow.convert(lint=False, style=style).new_text
        )
        assert fast.fixed_text() == slow.check(fix=True).new_text
        for finding in slow.survey().findings:
            one = {"select": [finding.code], "line": finding.location.line}
            assert fast.fixed_text(**one) == slow.check(fix=True, **one).new_text, one
    return fast, took


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("S2F_SEEDS", 40))))
def test_the_survey_after_an_edit_is_the_whole_texts(seed: int) -> None:
    rng = random.Random(seed)
    text = module(rng)
    document = Document(text)
    survey_or_error(document)
    taken = 0
    for _ in range(6):
        # one edit, or a burst surveyed once (an editor carries its analysis through edits
        # that cannot change it, so its next survey meets several)
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = edit(rng, text)
        document, took = check_step(document, text)
        taken += took
    if seed == 0:  # the generator reaches the shortcut: the comparison is not vacuous
        assert taken


RETURN = "    return model\n"


def _summary_added(text: str) -> str | None:
    """A line typed inside the first factory."""
    n = text.find(RETURN)
    return None if n < 0 else text[:n] + "    model.summary()\n" + text[n:]


def _two_far_apart(text: str) -> str | None:
    """Edits in the first and the last factory, the last one split in two statements."""
    if text.count(RETURN) < 2:
        return None
    first, last = text.index(RETURN), text.rindex(RETURN)
    return (
        text[:first]
        + "    model.summary()\n"
        + text[first:last]
        + RETURN
        + "\n\ndef extra():\n    pass\n"
        + text[last + len(RETURN) :]
    )


@pytest.mark.parametrize("edited", [_summary_added, _two_far_apart])
def test_the_shortcut_is_taken_for_edits_inside_functions(edited: Callable[[str], str | None]) -> None:
    taken = tried = 0
    for seed in range(20):
        text = module(random.Random(1000 + seed))
        changed = edited(text)
        if changed is None:
            continue
        document = Document(text)
        document.survey()
        tried += 1
        taken += check_step(document, changed)[1]
    assert tried and taken == tried


def test_whole_file_actions_after_an_edit_read_only_their_statements() -> None:
    """Should convert every model and fix every finding of an edited text from its statements
    alone (the whole text is never analysed), as the whole text's analysis does."""
    fixed = 0
    for seed in range(20):
        text = module(random.Random(2000 + seed))
        changed = _summary_added(text)
        if changed is None:
            continue
        document = Document(text)
        document.survey()
        fast, slow = Document(changed, before=document), Document(changed)
        assert fast.fixed_text() == slow.check(fix=True).new_text
        assert fast.convert(lint=False).new_text == slow.convert(lint=False).new_text
        assert fast._edited is not None and fast._analysis is None  # the shortcut, not the slow path
        fixed += fast.fixed_text() != changed
    assert fixed  # some of them had a finding to fix


def corpus_files() -> list[Path]:
    return sorted((ROOT / "bench" / "corpus").rglob("*.py"))


def test_edits_inside_the_functions_of_the_corpus() -> None:
    rng = random.Random(7)
    taken = 0
    for path in corpus_files():
        text = path.read_text()
        document = Document(text)
        if isinstance(survey_or_error(document), str):
            continue
        for _ in range(3):
            text = edit(rng, text)
            document, took = check_step(document, text)
            taken += took
    assert taken  # the comparison is not vacuous


NOTEBOOK = """\
import numpy as np
import keras
X = np.load("x.npy")
print(X.shape)
for i in range(1):
    pass
def build():
    model = keras.Sequential([keras.layers.Dense(3)])
    return model
model = build()
model.fit(X, X)
"""


def test_a_notebooks_saved_shapes_are_read_again_after_every_edit() -> None:
    """A saved output's shape holds until any statement changes the value in place, wherever
    it is: the edited statement here links to none of the model's."""
    facts = NotebookFacts(observed=(Observation("X", 4, 6, (100, 7), 2),))
    document = Document(NOTEBOOK, notebook=facts)
    site = document.survey().sites[0]
    assert site.skip is None
    changed = NOTEBOOK.replace("    pass", "    X.resize((100, 8))")
    after, took = check_step(document, changed)
    assert not took
    assert after.survey().sites[0].skip is not None  # the shape no longer holds
    plain = Document(NOTEBOOK, notebook=NotebookFacts())
    plain.survey()
    assert check_step(plain, changed)[1]  # without saved outputs, the shortcut is taken


UNLINKED = """\
import keras

WIDTH = 4
top = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])


def grow():
    top.add(keras.layers.Dense(WIDTH))
    return 1


def build():
    model = keras.Sequential([keras.layers.Dense(WIDTH, input_shape=(3,))])
    return model
"""


NAMES = """\
import keras

inputs = 3
x = [inputs]


def build(width=4):
    model = keras.Sequential([keras.layers.Dense(width, input_shape=(3,))])
    model.add(keras.layers.Dense(2))
    return model


def uses():
    return x, inputs
"""


@pytest.mark.parametrize(
    ("text", "old", "new", "taken"),
    [
        # what the edited statement reached before and reaches no more is surveyed anew
        (UNLINKED, "    top.add(keras.layers.Dense(WIDTH))\n", "    pass\n", None),
        (UNLINKED, "    top.add(keras.layers.Dense(WIDTH))\n", "    top2 = 3\n", None),
        # what it reaches now and did not
        (UNLINKED, "    return model\n", "    top.add(model)\n    return model\n", None),
        # the new code's names meet module-level names that statements stood in for bind
        (NAMES, "width=4", "width=5", True),
        (NAMES, "    return model\n", "    print(x)\n    return model\n", True),
        (NAMES, "    return model\n", "    global inputs\n    return model\n", None),
    ],
)
def test_edits_that_reach_other_statements(text: str, old: str, new: str, taken: bool | None) -> None:
    document = Document(text)
    document.survey()
    took = check_step(document, text.replace(old, new))[1]
    assert taken is None or took == taken


@pytest.mark.parametrize(
    ("old", "new", "taken"),
    [
        # a statement typed between two, or after the last, or above the first
        ("\n\ndef uses():", "\n\ny = 2\n\n\ndef uses():", True),
        ("    return x, inputs\n", "    return x, inputs\n\n\nextra = [x]\n", True),
        ("import keras\n", "import os\nimport keras\n", True),
        # blank lines only: every statement is the same, moved
        ("\n\ndef uses():", "\n\n\n\ndef uses():", True),
        # a comment between statements may silence a finding: a whole survey
        ("\n\ndef uses():", "\n\n# seq2func: ignore\ndef uses():", False),
        ("x = [inputs]\n", "x = [inputs]\n# a note\n", False),
    ],
)
def test_edits_between_statements(old: str, new: str, taken: bool) -> None:
    document = Document(NAMES)
    document.survey()
    assert new != old and old in NAMES
    assert check_step(document, NAMES.replace(old, new, 1))[1] == taken


FUTURE = """\
from __future__ import annotations

import keras


def build():
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])
    return model
"""


def test_a_future_import_decides_what_an_edited_statement_compiles_to() -> None:
    """Under `annotations` an annotation may not yield, though the edited statement alone compiles."""
    document = Document(FUTURE)
    document.survey()
    after, took = check_step(
        document, FUTURE.replace("    return model\n", "    x: (yield)\n    return model\n")
    )
    assert not took and isinstance(survey_or_error(after), str)


# what a message says of lines, read from its words: the oracle for the lines it records
_SAID = re.compile(r"\blines? (\d+(?:(?:, | and | ?[-\u2013] ?)\d+)*)")


def _said(text: str | None) -> set[int]:
    return {int(n) for match in _SAID.finditer(text or "") for n in re.findall(r"\d+", match[1])}


def _sources() -> list[str]:
    texts = [p.read_text() for p in corpus_files()]
    texts += [p.read_text() for p in sorted((ROOT / "samples").glob("*.py"))]
    texts += [p.read_text() for p in sorted((ROOT / "tests" / "cases").glob("*.before.py"))]
    texts += [module(random.Random(seed)) for seed in range(40)]
    return texts


def test_every_line_a_message_names_is_recorded() -> None:
    """Should record with each skip, shared-style reason and finding the lines its message
    names, so that an edit that moves them is found without reading the words."""
    named = 0
    for text in _sources():
        survey = survey_or_error(Document(text))
        if isinstance(survey, str):
            continue
        said: list[tuple[set[int], tuple[int, ...]]] = []
        for site in survey.sites:
            said.append((_said(site.shared), site.shared_lines))
            if site.skip is not None:
                said.append((_said(site.skip.message), site.skip.lines))
        said += [(_said(f.message) | _said(f.no_fix), f.lines) for f in survey.findings]
        for words, recorded in said:
            assert words <= set(recorded) and bool(words) == bool(recorded), (words, recorded)
            named += bool(words)
    assert named  # the comparison is not vacuous
